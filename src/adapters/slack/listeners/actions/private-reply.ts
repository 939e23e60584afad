/** How a click is answered: privately, under the clicked message, never replacing it. */
import type { RespondFn } from '@slack/bolt';
import { invalidReply } from '../../views/replies.js';
import type { SlackMessage } from '../../views/root-message.js';
import { ephemeral, type Reply } from '../respond.js';

/** An ephemeral answer under the clicked message, never replacing it. */
export const privateReply = (respond: RespondFn): Reply => (m: SlackMessage) => respond({ ...ephemeral(m), replace_original: false });

/** The answer to a click whose value names no incident of the channel it came from. */
export const NOT_HERE = invalidReply('That belongs to no incident in this channel.');
