/**
 * Who may read a replacement key's secret. Pure: the resource policy every replacement secret
 * gets, and the ARN a principal is matched by.
 *
 * The policy is one Deny for everyone (`Principal: *`) unless `aws:PrincipalArn` is one of the
 * readers or the bot: a Deny with a condition, not `NotPrincipal` (which AWS discourages and
 * which mis-handles role sessions). It grants nothing, so BlockPublicPolicy accepts it; readers
 * still need their own `secretsmanager:GetSecretValue` and `kms:Decrypt` to read the value.
 */

/**
 * Reads of the value, and the changes that would let someone read it after all (a new policy,
 * a new value or KMS key, a restored or rotated version), denied to all but the readers and the bot.
 */
export const GUARDED_SECRET_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteResourcePolicy',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecret',
  'secretsmanager:UpdateSecretVersionStage',
  'secretsmanager:RotateSecret',
  'secretsmanager:RestoreSecret',
] as const;

/** An IAM role or user ARN (with a path or not), as REPLACEMENT_SECRET_READERS takes them. */
export const READER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

/** The resource policy of a replacement secret: only `readers` (and the bot, one of them) read it. */
export function replacementSecretPolicy(readers: readonly string[]): string {
  const except = [...new Set(readers)];
  if (except.length === 0) throw new Error('a replacement secret needs at least one reader');
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyNamedReaders',
        Effect: 'Deny',
        Principal: '*',
        Action: [...GUARDED_SECRET_ACTIONS],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': except } },
      },
    ],
  });
}

/**
 * The ARN IAM matches a principal by in `aws:PrincipalArn`: a role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is matched as its role
 * (`arn:aws:iam::<account>:role/<role>`); a user as itself.
 */
export function principalArnOf(callerArn: string): string {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}
