/**
 * IAM persistence: users, keys, passwords, policies, roles, groups and MFA devices an attacker
 * can come back through. Where the bot can remove it, the finding carries a `cleanup` target.
 */
import type { Draft, Rule } from './finding-rule.js';
import { arr, at, callerUserName, clean, cli, consoleUrl, obj, str, type EventParts } from './fields.js';
import { FindingCategory, type CleanupTarget, type TrailEvent } from './types.js';

const category = FindingCategory.IamPersistence;
const UNKNOWN = '(not recorded)';

const userUrl = (u: string) => consoleUrl('iam/home', '', { fragment: `#/users/details/${encodeURIComponent(u)}` });
const roleUrl = (r: string) => consoleUrl('iam/home', '', { fragment: `#/roles/details/${encodeURIComponent(r)}` });

function draft(summary: string, extra: Omit<Draft, 'category' | 'summary'> = {}): Draft {
  return { category, summary: clean(summary), ...extra };
}

/** `userName` of the request, else of the caller (IAM acts on the caller when it is omitted). */
function targetUser(event: TrailEvent, p: EventParts, ...responsePath: string[]): string | undefined {
  return str(p.request?.userName) ?? str(at(p.response, ...responsePath)) ?? callerUserName(event);
}

function caller(event: TrailEvent): string {
  const identity = obj(event.userIdentity);
  return callerUserName(event) ?? str(identity?.arn) ?? 'the caller';
}

/** Principals (`Principal.AWS`, `Federated`, `Service`) a trust policy names; [] when unreadable. */
export function trustedPrincipals(document: unknown): string[] {
  let doc: unknown = document;
  if (typeof doc === 'string') {
    try {
      // CloudTrail records policy documents as JSON text, sometimes URL-encoded.
      doc = JSON.parse(doc.trimStart().startsWith('%7B') ? decodeURIComponent(doc) : doc);
    } catch {
      return [];
    }
  }
  const statements = Array.isArray(at(doc, 'Statement')) ? arr(at(doc, 'Statement')) : [at(doc, 'Statement')];
  const principals = statements
    .filter((s) => at(s, 'Effect') === 'Allow')
    .flatMap((s) => {
      const p = at(s, 'Principal');
      if (p === '*') return ['*'];
      return ['AWS', 'Federated', 'Service'].flatMap((k) => {
        const v = at(p, k);
        return Array.isArray(v) ? v : [v];
      });
    });
  return [...new Set(principals.filter((v): v is string => typeof v === 'string'))];
}

const trusting = (doc: unknown): string => {
  const who = trustedPrincipals(doc);
  return who.length > 0 ? ` trusting ${who.slice(0, 3).join(', ')}${who.length > 3 ? ` +${who.length - 3} more` : ''}` : '';
};

const createUser: Rule = (_e, p) => {
  const user = str(p.request?.userName) ?? str(at(p.response, 'user', 'userName'));
  if (!user) return draft('Created an IAM user (name not recorded)');
  return draft(`Created IAM user ${user}`, { cleanup: { kind: 'delete-user', userName: user }, consoleUrl: userUrl(user) });
};

const createAccessKey: Rule = (event, p) => {
  const key = str(at(p.response, 'accessKey', 'accessKeyId'));
  const requested = str(p.request?.userName);
  const user = targetUser(event, p, 'accessKey', 'userName');
  if (!user && obj(event.userIdentity)?.type === 'Root') return draft(`Created access key ${key ?? UNKNOWN} for the root user`);
  const self = callerUserName(event);
  // A key for someone else is a backdoor into another identity, not just a spare key.
  const other = requested !== undefined && requested !== self ? ` (another user than the caller, ${caller(event)})` : '';
  const summary = `Created access key ${key ?? UNKNOWN} for user ${user ?? UNKNOWN}${other}`;
  const cleanup: CleanupTarget | undefined = key && user ? { kind: 'delete-access-key', userName: user, accessKeyId: key } : undefined;
  return draft(summary, { cleanup, ...(user && { consoleUrl: userUrl(user) }) });
};

const loginProfile = (say: (user: string) => string): Rule => (event, p) => {
  const user = targetUser(event, p, 'loginProfile', 'userName');
  if (!user) return draft(say(UNKNOWN));
  return draft(say(user), { cleanup: { kind: 'delete-login-profile', userName: user }, consoleUrl: userUrl(user) });
};

const attachUserPolicy: Rule = (event, p) => {
  const user = targetUser(event, p);
  const policyArn = str(p.request?.policyArn);
  const summary = `Attached policy ${policyArn ?? UNKNOWN} to user ${user ?? UNKNOWN}`;
  if (!user || !policyArn) return draft(summary);
  return draft(summary, { cleanup: { kind: 'detach-user-policy', userName: user, policyArn }, consoleUrl: userUrl(user) });
};

const putUserPolicy: Rule = (event, p) => {
  const user = targetUser(event, p);
  const policyName = str(p.request?.policyName);
  const summary = `Put inline policy ${policyName ?? UNKNOWN} on user ${user ?? UNKNOWN}`;
  if (!user || !policyName) return draft(summary);
  return draft(summary, { cleanup: { kind: 'delete-user-policy', userName: user, policyName }, consoleUrl: userUrl(user) });
};

const attachRolePolicy: Rule = (_e, p) => {
  const role = str(p.request?.roleName);
  const policyArn = str(p.request?.policyArn);
  const summary = `Attached policy ${policyArn ?? UNKNOWN} to role ${role ?? UNKNOWN}`;
  if (!role || !policyArn) return draft(summary);
  return draft(summary, { cleanup: { kind: 'detach-role-policy', roleName: role, policyArn }, consoleUrl: roleUrl(role) });
};

const putRolePolicy: Rule = (_e, p) => {
  const role = str(p.request?.roleName);
  const policyName = str(p.request?.policyName);
  const summary = `Put inline policy ${policyName ?? UNKNOWN} on role ${role ?? UNKNOWN}`;
  if (!role || !policyName) return draft(summary);
  return draft(summary, { cleanup: { kind: 'delete-role-policy', roleName: role, policyName }, consoleUrl: roleUrl(role) });
};

const createPolicyVersion: Rule = (_e, p) => {
  const policyArn = str(p.request?.policyArn) ?? str(at(p.response, 'policyVersion', 'policyArn'));
  const version = str(at(p.response, 'policyVersion', 'versionId'));
  const isDefault = p.request?.setAsDefault === true || p.request?.setAsDefault === 'true';
  const summary = `Added version ${version ?? UNKNOWN} to policy ${policyArn ?? UNKNOWN}${isDefault ? ' and made it the default' : ''}`;
  // A default version cannot be deleted: an earlier one must be made default first, by a person.
  const removable = policyArn && version && !isDefault;
  return draft(summary, removable ? { cliCommand: cli('iam', 'delete-policy-version', '--policy-arn', policyArn, '--version-id', version) } : {});
};

const createRole: Rule = (_e, p) => {
  const role = str(p.request?.roleName) ?? str(at(p.response, 'role', 'roleName'));
  const summary = `Created role ${role ?? UNKNOWN}${trusting(p.request?.assumeRolePolicyDocument)}`;
  if (!role) return draft(summary);
  return draft(summary, { consoleUrl: roleUrl(role), cliCommand: cli('iam', 'delete-role', '--role-name', role) });
};

const updateAssumeRolePolicy: Rule = (_e, p) => {
  const role = str(p.request?.roleName);
  const summary = `Changed who can assume role ${role ?? UNKNOWN}${trusting(p.request?.policyDocument)}`;
  return draft(summary, role ? { consoleUrl: roleUrl(role) } : {});
};

const addUserToGroup: Rule = (_e, p) => {
  const user = str(p.request?.userName);
  const group = str(p.request?.groupName);
  const summary = `Added user ${user ?? UNKNOWN} to group ${group ?? UNKNOWN}`;
  if (!user || !group) return draft(summary);
  return draft(summary, { consoleUrl: userUrl(user), cliCommand: cli('iam', 'remove-user-from-group', '--user-name', user, '--group-name', group) });
};

const createVirtualMfa: Rule = (_e, p) => {
  const serial = str(at(p.response, 'virtualMFADevice', 'serialNumber'));
  const name = serial ?? str(p.request?.virtualMFADeviceName) ?? UNKNOWN;
  return draft(`Created virtual MFA device ${name}`, serial ? { cliCommand: cli('iam', 'delete-virtual-mfa-device', '--serial-number', serial) } : {});
};

const enableMfa: Rule = (event, p) => {
  const user = targetUser(event, p);
  const serial = str(p.request?.serialNumber);
  // An attacker's own MFA on a user keeps console access and can lock the owner out.
  const summary = `Enabled MFA device ${serial ?? UNKNOWN} for user ${user ?? UNKNOWN}`;
  if (!user || !serial) return draft(summary);
  return draft(summary, { consoleUrl: userUrl(user), cliCommand: cli('iam', 'deactivate-mfa-device', '--user-name', user, '--serial-number', serial) });
};

const deactivateMfa: Rule = (event, p) => {
  const user = targetUser(event, p);
  return draft(`Deactivated MFA device ${str(p.request?.serialNumber) ?? UNKNOWN} of user ${user ?? UNKNOWN}`, user ? { consoleUrl: userUrl(user) } : {});
};

const deleteVirtualMfa: Rule = (_e, p) => draft(`Deleted virtual MFA device ${str(p.request?.serialNumber) ?? UNKNOWN}`);

/** IAM rules by `iam:<EventName>`. */
export const IAM_RULES: Readonly<Record<string, Rule>> = {
  'iam:CreateUser': createUser,
  'iam:CreateAccessKey': createAccessKey,
  'iam:CreateLoginProfile': loginProfile((u) => `Set a console password for user ${u}`),
  'iam:UpdateLoginProfile': loginProfile((u) => `Changed the console password of user ${u}`),
  'iam:AttachUserPolicy': attachUserPolicy,
  'iam:PutUserPolicy': putUserPolicy,
  'iam:AttachRolePolicy': attachRolePolicy,
  'iam:PutRolePolicy': putRolePolicy,
  'iam:CreatePolicyVersion': createPolicyVersion,
  'iam:CreateRole': createRole,
  'iam:UpdateAssumeRolePolicy': updateAssumeRolePolicy,
  'iam:AddUserToGroup': addUserToGroup,
  'iam:CreateVirtualMFADevice': createVirtualMfa,
  'iam:EnableMFADevice': enableMfa,
  'iam:DeactivateMFADevice': deactivateMfa,
  'iam:DeleteVirtualMFADevice': deleteVirtualMfa,
};
