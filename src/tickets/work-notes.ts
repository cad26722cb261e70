import type { RecommendedResource } from './config-schema.js';

/** The prefix of every line itsmkit writes to a work note on its own. */
export const AUTO_PREFIX = '[AUTO]';

function bullets(resources: readonly RecommendedResource[]): string[] {
  return resources.map((r) => `  • ${r.label} (${r.type})`);
}

/**
 * The support counter's standard work note, for a classified request:
 * ```
 * [AUTO] Classified as '<topic>'
 * [AUTO] Sent acknowledgement and self-service resources to <email>.
 * Recommended resources:
 *   • <label> (<type>)
 * ```
 * The acknowledgement line only when an email was sent; the resources only when there are some.
 */
export function classifiedWorkNote(topic: string, resources: readonly RecommendedResource[], acknowledgedTo?: string): string {
  return [
    `${AUTO_PREFIX} Classified as '${topic}'`,
    ...(acknowledgedTo ? [`${AUTO_PREFIX} Sent acknowledgement and self-service resources to ${acknowledgedTo}.`] : []),
    ...(resources.length ? ['Recommended resources:', ...bullets(resources)] : []),
  ].join('\n');
}

/**
 * The support counter's automation work note:
 * ```
 * [AUTO] Classified as '<topic>'
 * Acknowledgement email sent to <email>.
 * Recommended self-service resources:
 *   • <label> (<type>)
 * ```
 * The acknowledgement line only when an email was sent; the resources only when there are some.
 */
export function automationWorkNote(topic: string, resources: readonly RecommendedResource[], acknowledgedTo?: string): string {
  return [
    `${AUTO_PREFIX} Classified as '${topic}'`,
    ...(acknowledgedTo ? [`Acknowledgement email sent to ${acknowledgedTo}.`] : []),
    ...(resources.length ? ['Recommended self-service resources:', ...bullets(resources)] : []),
  ].join('\n');
}

/** The `[AUTO]` lines of a work-notes text, without the prefix, in order. */
export function autoLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith(AUTO_PREFIX)) {
      const summary = trimmed.slice(AUTO_PREFIX.length).trim();
      if (summary) out.push(summary);
    }
  }
  return out;
}
