import type { SupportAutomation } from './ports.js';
import { automationWorkNote } from './work-notes.js';

/** The support counter's category with automation. */
export const GOOGLE_WORKSPACE_ACCOUNT_ACCESS = 'Google Workspace – Account Access';

/**
 * The support counter's example automation, for `Google Workspace – Account Access`:
 * classifies the request (the category's rules: password reset, 2-Step
 * Verification, account access), acknowledges it to the contact with the
 * self-service resources when an email is known, and returns the automation
 * work note. Write your own for other categories in the same shape.
 */
export function googleWorkspaceAccountAccess(): SupportAutomation {
  return {
    name: 'google-workspace-account-access',
    category: GOOGLE_WORKSPACE_ACCOUNT_ACCESS,
    async run(context) {
      const classification = context.classify(context.request);
      const notification = await context.acknowledge(classification);
      const sentTo = notification?.emailSent ? context.email : undefined;
      return { classification, notification, workNote: automationWorkNote(classification.topic, classification.resources, sentTo) };
    },
  };
}
