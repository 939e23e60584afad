/**
 * Defence evasion: CloudTrail, GuardDuty and AWS Config turned off or blinded. Each finding
 * links to the console and, where one command undoes it, gives that command.
 */
import type { Draft, Rule } from './finding-rule.js';
import { arr, clean, cli, consoleUrl, listOf, str, type EventParts } from './fields.js';
import { FindingCategory } from './types.js';

const category = FindingCategory.DefenceEvasion;
const UNKNOWN = '(not recorded)';

function draft(summary: string, consoleLink: string, cliCommand?: string): Draft {
  return { category, summary: clean(summary), consoleUrl: consoleLink, ...(cliCommand && { cliCommand }) };
}

const trailsUrl = (region: string) => consoleUrl('cloudtrail/home', region, { fragment: '#/trails' });
const guardDutyUrl = (region: string) => consoleUrl('guardduty/home', region, { fragment: '#/settings' });
const configUrl = (region: string) => consoleUrl('config/home', region, { fragment: '#/settings' });

/** CloudTrail takes a trail's name or ARN in `name` (`trailName` for event selectors). */
const trailOf = (p: EventParts) => str(p.request?.name) ?? str(p.request?.trailName);
const detectorOf = (p: EventParts) => str(p.request?.detectorId);

const stopLogging: Rule = (_e, p) => {
  const trail = trailOf(p);
  const undo = trail ? cli('cloudtrail', 'start-logging', '--region', p.region, '--name', trail) : undefined;
  return draft(`Stopped CloudTrail logging of trail ${trail ?? UNKNOWN}`, trailsUrl(p.region), undo);
};

const deleteTrail: Rule = (_e, p) => draft(`Deleted CloudTrail trail ${trailOf(p) ?? UNKNOWN}`, trailsUrl(p.region));

const updateTrail: Rule = (_e, p) => {
  const r = p.request;
  const changes = [
    str(r?.s3BucketName) && `now delivers to bucket ${str(r?.s3BucketName)}`,
    r?.isMultiRegionTrail === false && 'now logs one region only',
    r?.includeGlobalServiceEvents === false && 'no longer logs global services such as IAM',
    r?.enableLogFileValidation === false && 'log file validation off',
  ].filter((c): c is string => typeof c === 'string');
  const detail = changes.length > 0 ? `: ${changes.join(', ')}` : '';
  return draft(`Changed CloudTrail trail ${trailOf(p) ?? UNKNOWN}${detail}`, trailsUrl(p.region));
};

const putEventSelectors: Rule = (_e, p) =>
  draft(`Changed which events CloudTrail trail ${trailOf(p) ?? UNKNOWN} records`, trailsUrl(p.region));

const deleteDetector: Rule = (_e, p) =>
  draft(`Deleted GuardDuty detector ${detectorOf(p) ?? UNKNOWN} in ${p.region}`, guardDutyUrl(p.region),
    cli('guardduty', 'create-detector', '--region', p.region, '--enable'));

const updateDetector: Rule = (_e, p) => {
  const detector = detectorOf(p);
  // `enable: false` suspends the detector; other updates change what it watches.
  if (p.request?.enable === false) {
    const undo = detector ? cli('guardduty', 'update-detector', '--region', p.region, '--detector-id', detector, '--enable') : undefined;
    return draft(`Suspended GuardDuty detector ${detector ?? UNKNOWN} in ${p.region}`, guardDutyUrl(p.region), undo);
  }
  return draft(`Changed the settings of GuardDuty detector ${detector ?? UNKNOWN} in ${p.region}`, guardDutyUrl(p.region));
};

const leaveAdministrator: Rule = (_e, p) =>
  draft(`Left the GuardDuty administrator account (detector ${detectorOf(p) ?? UNKNOWN}) in ${p.region}`, guardDutyUrl(p.region));

const members = (verb: string): Rule => (_e, p) => {
  const accounts = arr(p.request?.accountIds).filter((a): a is string => typeof a === 'string');
  const who = accounts.length > 0 ? `account${accounts.length > 1 ? 's' : ''} ${listOf(accounts)}` : 'member accounts';
  return draft(`${verb} GuardDuty ${who} in ${p.region}`, guardDutyUrl(p.region));
};

const createFilter: Rule = (_e, p) => {
  const detector = detectorOf(p);
  const name = str(p.request?.name);
  // An ARCHIVE filter hides matching findings from everyone looking at GuardDuty.
  const action = str(p.request?.action);
  const summary = `Created GuardDuty filter ${name ?? UNKNOWN}${action ? ` (action ${action})` : ''} in ${p.region}`;
  const undo = detector && name ? cli('guardduty', 'delete-filter', '--region', p.region, '--detector-id', detector, '--filter-name', name) : undefined;
  return draft(summary, guardDutyUrl(p.region), undo);
};

const updateFilter: Rule = (_e, p) =>
  draft(`Changed GuardDuty filter ${str(p.request?.filterName) ?? UNKNOWN} in ${p.region}`, guardDutyUrl(p.region));

const createIpSet: Rule = (_e, p) => {
  const detector = detectorOf(p);
  const id = str(p.response?.ipSetId);
  // Addresses on a trusted IP list raise no GuardDuty findings.
  const summary = `Added GuardDuty trusted IP list ${str(p.request?.name) ?? UNKNOWN} in ${p.region}`;
  const undo = detector && id ? cli('guardduty', 'delete-ip-set', '--region', p.region, '--detector-id', detector, '--ip-set-id', id) : undefined;
  return draft(summary, guardDutyUrl(p.region), undo);
};

const stopRecorder: Rule = (_e, p) => {
  const name = str(p.request?.configurationRecorderName);
  const undo = name ? cli('configservice', 'start-configuration-recorder', '--region', p.region, '--configuration-recorder-name', name) : undefined;
  return draft(`Stopped AWS Config recorder ${name ?? UNKNOWN} in ${p.region}`, configUrl(p.region), undo);
};

const deleteRecorder: Rule = (_e, p) =>
  draft(`Deleted AWS Config recorder ${str(p.request?.configurationRecorderName) ?? UNKNOWN} in ${p.region}`, configUrl(p.region));

const deleteChannel: Rule = (_e, p) =>
  draft(`Deleted AWS Config delivery channel ${str(p.request?.deliveryChannelName) ?? UNKNOWN} in ${p.region}`, configUrl(p.region));

/** Defence-evasion rules by `<service>:<EventName>`. */
export const EVASION_RULES: Readonly<Record<string, Rule>> = {
  'cloudtrail:StopLogging': stopLogging,
  'cloudtrail:DeleteTrail': deleteTrail,
  'cloudtrail:UpdateTrail': updateTrail,
  'cloudtrail:PutEventSelectors': putEventSelectors,
  'guardduty:DeleteDetector': deleteDetector,
  'guardduty:UpdateDetector': updateDetector,
  'guardduty:DisassociateFromMasterAccount': leaveAdministrator,
  'guardduty:DisassociateFromAdministratorAccount': leaveAdministrator,
  'guardduty:DeleteMembers': members('Deleted'),
  'guardduty:DisassociateMembers': members('Disassociated'),
  'guardduty:StopMonitoringMembers': members('Stopped monitoring'),
  'guardduty:CreateFilter': createFilter,
  'guardduty:UpdateFilter': updateFilter,
  'guardduty:CreateIPSet': createIpSet,
  'config:StopConfigurationRecorder': stopRecorder,
  'config:DeleteConfigurationRecorder': deleteRecorder,
  'config:DeleteDeliveryChannel': deleteChannel,
};
