/** A line the incident's thread is told about a change, as data: the Slack views say it. */
import type { SecretKind } from '../secrets.js';
import type { IncidentStatus } from './incident.js';

export type ThreadNote =
  /** Someone (or the bot, `BOT_ACTOR`) set the status; `resolution` when resolved with a summary. */
  | { readonly kind: 'status-changed'; readonly status: IncidentStatus; readonly by: string; readonly resolution?: string }
  /** Contained by the bot: the key no longer works and its sessions are revoked. */
  | { readonly kind: 'contained' }
  /** A person's note from the command, as they wrote it. */
  | { readonly kind: 'note-added'; readonly text: string }
  /** After a restart, an approved action IAM shows was not done is being carried out now. */
  | { readonly kind: 'resumed-after-restart' }
  /** The review found `count` clean-ups but the key's account was no longer known (an assessment running again): none was proposed. */
  | { readonly kind: 'cleanups-not-proposed'; readonly count: number; readonly incidentId: string }
  /** A message of the thread held what looks like a secret: it was not recorded (never the secret itself). */
  | { readonly kind: 'secret-withheld'; readonly what: SecretKind };
