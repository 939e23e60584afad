import type { ChannelMembers } from '../../../src/ports/channel-members.js';
import { Faults } from './faults.js';

/** `ChannelMembers` in memory: nobody is in any channel until a test says so. */
export class MemoryChannelMembers implements ChannelMembers {
  readonly faults = new Faults<keyof ChannelMembers & string>();
  private readonly channels = new Map<string, Set<string>>();

  /** Adds `userIds` to `channelId`. */
  join(channelId: string, ...userIds: string[]): void {
    const members = this.channels.get(channelId) ?? new Set<string>();
    for (const id of userIds) members.add(id);
    this.channels.set(channelId, members);
  }

  async isMember(channelId: string, userId: string): Promise<boolean> {
    await this.faults.enter('isMember', [channelId, userId]);
    return this.channels.get(channelId)?.has(userId) ?? false;
  }
}
