import type { Logger } from 'pino';
import type { TimelineEvent, TimelineEventType } from '../domain/incident.js';
import type {
  AccountGateway,
  ActionCatalogLoader,
  ActionNotifier,
  ActionRepository,
  ApproverDirectory,
  Clock,
  IamReader,
  IamWriter,
  IdSource,
  IncidentNotifier,
  IncidentRepository,
  CloudTrailReader,
  OrganizationsReader,
  FileUploader,
  ReviewNotifier,
  SecretStore,
  StsReader,
} from '../ports.js';
import type { ReviewSettings } from './review/review-incident.js';

/**
 * Everything the use cases need, injected once by `app.ts`. `iam`, `iamWriter`, `secrets` and
 * `trail` act in the bot's account; `inAccount` swaps them for another account's.
 */
export interface ServiceDeps {
  readonly repo: IncidentRepository;
  readonly notifier: IncidentNotifier;
  readonly iam: IamReader;
  readonly sts: StsReader;
  readonly catalog: ActionCatalogLoader;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: Logger;
  readonly actions: ActionRepository;
  readonly actionNotifier: ActionNotifier;
  readonly approvers: ApproverDirectory;
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
  /** Record what would have been done; never change IAM. */
  readonly dryRun: boolean;
  readonly trail: CloudTrailReader;
  readonly reviewNotifier: ReviewNotifier;
  readonly review: ReviewSettings;
  readonly uploader: FileUploader;
  /** Other accounts, through the member-account role. */
  readonly accounts: AccountGateway;
  readonly organizations: OrganizationsReader;
}

/** A new timeline event stamped with the clock and a fresh id. */
export function newEvent(
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  incidentId: string,
  type: TimelineEventType,
  actor: string,
  summary: string,
  details: Record<string, unknown> = {},
): TimelineEvent {
  return { incidentId, id: deps.ids.eventId(), at: deps.clock.now().toISOString(), type, actor, summary, details };
}
