/**
 * A user's other credentials, listed and removed (2010-05-08): login profile, signing
 * certificates, SSH public keys, service-specific credentials, MFA devices. A virtual MFA
 * device must be deactivated (unassigned) before DeleteVirtualMFADevice, as in IAM.
 */
import { FakeAwsFault } from './faults.js';
import { userOf, type HandlerContext, type HandlerTable } from './handlers.js';
import { listResult, type PageRequest } from './request.js';
import type { UserState } from './state.js';
import type { XmlFields } from './xml.js';

function pages(ctx: HandlerContext): PageRequest {
  return { params: ctx.params, pageCap: ctx.world.pageCap };
}

function namedUser(ctx: HandlerContext): UserState {
  ctx.params.required('UserName');
  return userOf(ctx);
}

function noLoginProfile(user: UserState): FakeAwsFault {
  return new FakeAwsFault('NoSuchEntity', `Login Profile for User ${user.name} cannot be found.`);
}

function getLoginProfile(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  const profile = user.loginProfile;
  if (!profile) throw noLoginProfile(user);
  return {
    LoginProfile: { UserName: user.name, CreateDate: profile.createdAt, PasswordResetRequired: profile.passwordResetRequired },
  };
}

function deleteLoginProfile(ctx: HandlerContext): undefined {
  const user = userOf(ctx);
  if (!user.loginProfile) throw noLoginProfile(user);
  delete user.loginProfile;
  return undefined;
}

function listSigningCertificates(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  return listResult('Certificates', user.signingCertificates, pages(ctx), (cert) => ({
    UserName: user.name,
    CertificateId: cert.id,
    CertificateBody: cert.body,
    Status: cert.status,
    UploadDate: cert.uploadedAt,
  }));
}

function deleteSigningCertificate(ctx: HandlerContext): undefined {
  const id = ctx.params.required('CertificateId');
  const user = userOf(ctx);
  removeWhere(user.signingCertificates, (c) => c.id === id, `The Certificate with id ${id} cannot be found.`);
  return undefined;
}

function listSshPublicKeys(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  return listResult('SSHPublicKeys', user.sshPublicKeys, pages(ctx), (key) => ({
    UserName: user.name,
    SSHPublicKeyId: key.id,
    Status: key.status,
    UploadDate: key.uploadedAt,
  }));
}

function deleteSshPublicKey(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const id = ctx.params.required('SSHPublicKeyId');
  removeWhere(user.sshPublicKeys, (k) => k.id === id, `The Public Key with id ${id} cannot be found.`);
  return undefined;
}

function listServiceSpecificCredentials(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  const service = ctx.params.optional('ServiceName');
  const credentials = user.serviceCredentials.filter((c) => service === undefined || c.serviceName === service);
  return listResult('ServiceSpecificCredentials', credentials, pages(ctx), (credential) => ({
    UserName: user.name,
    Status: credential.status,
    ServiceUserName: credential.serviceUserName,
    CreateDate: credential.createdAt,
    ServiceSpecificCredentialId: credential.id,
    ServiceName: credential.serviceName,
  }));
}

function deleteServiceSpecificCredential(ctx: HandlerContext): undefined {
  const id = ctx.params.required('ServiceSpecificCredentialId');
  const user = userOf(ctx);
  removeWhere(user.serviceCredentials, (c) => c.id === id, `No such credential ${id} exists`);
  return undefined;
}

function listMfaDevices(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  return listResult('MFADevices', user.mfaDevices, pages(ctx), (device) => ({
    UserName: user.name,
    SerialNumber: device.serialNumber,
    EnableDate: device.enabledAt,
  }));
}

/** Unassigns the device from the user; a virtual one stays in the account until deleted. */
function deactivateMfaDevice(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const serial = ctx.params.required('SerialNumber');
  removeWhere(user.mfaDevices, (d) => d.serialNumber === serial, `MFA Device with serial number ${serial} does not exist.`);
  const virtual = ctx.account.virtualMfaDevices.get(serial);
  if (virtual) delete virtual.userName;
  return undefined;
}

/** Deletes an unassigned virtual device; an assigned one is DeleteConflict (409). */
function deleteVirtualMfaDevice(ctx: HandlerContext): undefined {
  const serial = ctx.params.required('SerialNumber');
  const device = ctx.account.virtualMfaDevices.get(serial);
  if (!device) throw new FakeAwsFault('NoSuchEntity', `VirtualMFADevice with serial number ${serial} doesn't exist.`);
  if (device.userName !== undefined) throw new FakeAwsFault('DeleteConflict', 'MFA Device is in use by a user.');
  ctx.account.virtualMfaDevices.delete(serial);
  return undefined;
}

/** Removes the first item matching `test`, or answers NoSuchEntity with `message`. */
function removeWhere<T>(items: T[], test: (item: T) => boolean, message: string): void {
  const index = items.findIndex(test);
  if (index < 0) throw new FakeAwsFault('NoSuchEntity', message);
  items.splice(index, 1);
}

/** Reads and removals of a user's credentials other than access keys. */
export const iamCredentialHandlers: HandlerTable = {
  GetLoginProfile: getLoginProfile,
  DeleteLoginProfile: deleteLoginProfile,
  ListSigningCertificates: listSigningCertificates,
  DeleteSigningCertificate: deleteSigningCertificate,
  ListSSHPublicKeys: listSshPublicKeys,
  DeleteSSHPublicKey: deleteSshPublicKey,
  ListServiceSpecificCredentials: listServiceSpecificCredentials,
  DeleteServiceSpecificCredential: deleteServiceSpecificCredential,
  ListMFADevices: listMfaDevices,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
};
