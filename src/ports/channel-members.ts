/** Who is in a Slack channel: what decides whether someone other than an approver sees an incident. */
export interface ChannelMembers {
  /**
   * Whether `userId` is a member of `channelId`. Throws (a `SlackError`) when Slack cannot say:
   * the caller fails closed.
   */
  isMember(channelId: string, userId: string): Promise<boolean>;
}
