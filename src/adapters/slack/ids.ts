/** Action, block and callback ids shared by views and listener registration. */
export const COMMAND = '/key-incident';

export const ActionId = {
  PermissionDetails: 'ki_permission_details',
} as const;

export const CallbackId = {
  PermissionDetailsModal: 'ki_permission_details_modal',
} as const;
