/** Uploads a file into an incident's thread (files.getUploadURLExternal + completeUploadExternal). */
export interface FileUploader {
  /**
   * Uploads `content` (streamed; it may be large) as `filename` into the thread `threadTs` of
   * `channelId`. Resolves with Slack's file id. Errors are `SlackError`.
   */
  uploadToThread(channelId: string, threadTs: string, filename: string, title: string, content: AsyncIterable<string>): Promise<{ fileId: string }>;
}
