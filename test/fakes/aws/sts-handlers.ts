/**
 * STS operations (2011-06-15).
 */
import { FakeAwsFault, validationError } from './faults.js';
import type { HandlerContext, HandlerTable } from './handlers.js';
import type { XmlFields } from './xml.js';

const MIN_KEY_ID_LENGTH = 16;

function getAccessKeyInfo(ctx: HandlerContext): XmlFields {
  const keyId = ctx.params.required('AccessKeyId');
  if (keyId.length < MIN_KEY_ID_LENGTH) {
    throw validationError(
      `Value '${keyId}' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16`,
    );
  }
  const account = ctx.world.accountOfKey(keyId);
  if (account === undefined) {
    throw new FakeAwsFault('InvalidParameterValue', `The access key ID ${keyId} is not valid.`);
  }
  return { Account: account };
}

function getCallerIdentity(ctx: HandlerContext): XmlFields {
  return { Arn: ctx.caller.arn, UserId: ctx.caller.userId, Account: ctx.caller.account };
}

export const stsHandlers: HandlerTable = {
  GetAccessKeyInfo: getAccessKeyInfo,
  GetCallerIdentity: getCallerIdentity,
};
