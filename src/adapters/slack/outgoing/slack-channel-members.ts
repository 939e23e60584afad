/** Channel membership from `conversations.members`: paged with its cursor, capped, cached briefly. */
import type { webApi } from '@slack/bolt';
import { SlackError } from '../../../domain/errors.js';
import type { ChannelMembers } from '../../../ports/channel-members.js';
import type { Clock } from '../../../ports/clock.js';
import { callWebApi } from './web-api-call.js';

/** How long a channel's members are trusted before they are read again. */
export const CHANNEL_MEMBERS_TTL_MS = 30_000;
/** Members per page: Slack recommends no more than 200. */
export const CHANNEL_MEMBERS_PAGE = 200;
/** Pages read per channel at most (10,000 members); a larger channel is not read whole. */
const CHANNEL_MEMBERS_MAX_PAGES = 50;
/** Channels whose members are cached at once; the oldest goes first. */
const MAX_CACHED_CHANNELS = 200;

export class SlackChannelMembers implements ChannelMembers {
  private readonly cache = new Map<string, { members: ReadonlySet<string>; at: number }>();
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: Clock,
  ) {}

  async isMember(channelId: string, userId: string): Promise<boolean> {
    return (await this.members(channelId)).has(userId);
  }

  private members(channel: string): Promise<ReadonlySet<string>> {
    const cached = this.cache.get(channel);
    if (cached && this.clock.now().getTime() - cached.at < CHANNEL_MEMBERS_TTL_MS) return Promise.resolve(cached.members);
    let reading = this.inFlight.get(channel);
    if (!reading) {
      reading = this.readAll(channel)
        .then((members) => this.remember(channel, members))
        .finally(() => this.inFlight.delete(channel));
      this.inFlight.set(channel, reading);
    }
    return reading;
  }

  private remember(channel: string, members: ReadonlySet<string>): ReadonlySet<string> {
    this.cache.delete(channel);
    this.cache.set(channel, { members, at: this.clock.now().getTime() });
    if (this.cache.size > MAX_CACHED_CHANNELS) this.cache.delete(this.cache.keys().next().value as string);
    return members;
  }

  /** Every page; a channel larger than the cap is refused rather than judged on part of it. */
  private async readAll(channel: string): Promise<ReadonlySet<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < CHANNEL_MEMBERS_MAX_PAGES; page += 1) {
      const res = await callWebApi('conversations.members', () =>
        this.client.conversations.members({ channel, limit: CHANNEL_MEMBERS_PAGE, ...(cursor ? { cursor } : {}) }));
      for (const id of res.members ?? []) members.add(id);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return members;
    }
    throw new SlackError('too_many_members', 'conversations.members');
  }
}
