import type { FileUploader } from '../../../src/ports/file-uploader.js';
import { Faults } from './faults.js';

export interface Upload {
  readonly channelId: string;
  readonly threadTs: string;
  readonly filename: string;
  readonly title: string;
  readonly content: string;
  readonly fileId: string;
}

/** `FileUploader` in memory: reads the whole stream and keeps it. */
export class MemoryFileUploader implements FileUploader {
  readonly faults = new Faults<keyof FileUploader & string>();
  readonly uploads: Upload[] = [];

  async uploadToThread(channelId: string, threadTs: string, filename: string, title: string, content: AsyncIterable<string>): Promise<{ fileId: string }> {
    await this.faults.enter('uploadToThread', [channelId, threadTs, filename, title]);
    let text = '';
    for await (const chunk of content) text += chunk;
    const fileId = `F${(this.uploads.length + 1).toString().padStart(8, '0')}`;
    this.uploads.push({ channelId, threadTs, filename, title, content: text, fileId });
    return { fileId };
  }
}
