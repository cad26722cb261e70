import type { ClassificationConfig, ClassificationRule, RecommendedResource } from './config-schema.js';

/** What a request is classified from. */
export interface ClassificationInput {
  readonly category: string;
  readonly shortDescription: string;
  readonly detailedDescription?: string | undefined;
  readonly errorCode?: string | undefined;
  /** Not used for matching; accepted so a whole support request can be passed. */
  readonly client?: string | undefined;
}

/** How the topic was chosen. */
export type ClassificationOutcome = 'rule' | 'categoryDefault' | 'fallback';

/** A topic, its resources, and why they were chosen. */
export interface Classification {
  readonly topic: string;
  readonly resources: readonly RecommendedResource[];
  /** The winning rule's id; `null` for a category default or the fallback. */
  readonly ruleId: string | null;
  readonly outcome: ClassificationOutcome;
  /** What the winning rule matched (empty for defaults and the fallback). */
  readonly matched: { readonly errorCodes: readonly string[]; readonly keywords: readonly string[] };
  /** A sentence saying why this topic won. */
  readonly reason: string;
  /** Ids of the other matching rules, best first. */
  readonly runnersUp: readonly string[];
}

/** A classification config compiled once. */
export interface Classifier {
  /** Classifies one request; pure, never throws on odd text. */
  classify(input: ClassificationInput): Classification;
}

interface CompiledRule {
  readonly index: number;
  readonly rule: ClassificationRule;
  /** Normalised category, or `null` for a rule that applies to every category. */
  readonly category: string | null;
}

interface Keyword {
  readonly rule: number;
  readonly text: string;
  readonly tokens: readonly string[];
}

interface Candidate {
  readonly rule: CompiledRule;
  readonly errorCodes: string[];
  readonly keywords: string[];
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cases, unifies dashes and collapses spaces: `Google Workspace – Account Access` ~ `google workspace - account access`. */
export function normaliseCategory(category: string): string {
  return category.toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\s+/g, ' ').trim();
}

function tokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/**
 * Compiles the support counter's classification rules. Keywords are tokenised once and
 * indexed by their first word, error codes by value, so classifying costs one
 * pass over the request's words whatever the number of rules.
 *
 * Matching: a rule applies when its `category` equals the request's (case,
 * dash style and spacing ignored) or it has no category; it matches when the
 * request's `errorCode` is one of its `matchErrorCodes` or any of its
 * `matchKeywords` occurs as whole words in `shortDescription` + `detailedDescription`.
 *
 * The winner among matching rules, in order of precedence:
 * 1. a rule that matched the error code beats one that did not;
 * 2. more distinct keywords matched beats fewer;
 * 3. a rule for the request's category beats a rule for every category;
 * 4. the rule listed first wins.
 *
 * With no match: the category's default topic, else the fallback
 * (`Unclassified / Manual Review` by default).
 */
export function compileClassifier(config: ClassificationConfig): Classifier {
  const rules: CompiledRule[] = config.rules.map((rule, index) => ({
    index,
    rule,
    category: rule.category === undefined ? null : normaliseCategory(rule.category),
  }));
  const byFirstToken = new Map<string, Keyword[]>();
  const byErrorCode = new Map<string, number[]>();
  for (const { index, rule } of rules) {
    for (const text of new Set(rule.matchKeywords ?? [])) {
      const kw = tokens(text);
      const first = kw[0];
      if (first === undefined) continue;
      const list = byFirstToken.get(first) ?? [];
      list.push({ rule: index, text, tokens: kw });
      byFirstToken.set(first, list);
    }
    for (const code of new Set((rule.matchErrorCodes ?? []).map((c) => c.trim().toLowerCase()))) {
      const list = byErrorCode.get(code) ?? [];
      list.push(index);
      byErrorCode.set(code, list);
    }
  }
  const defaults = new Map(config.categoryDefaults.map((d) => [normaliseCategory(d.category), d]));

  return {
    classify(input) {
      const category = normaliseCategory(input.category);
      const applies = (r: CompiledRule) => r.category === null || r.category === category;
      const candidates = new Map<number, Candidate>();
      const candidate = (index: number): Candidate | undefined => {
        const rule = rules[index] as CompiledRule;
        if (!applies(rule)) return undefined;
        let c = candidates.get(index);
        if (!c) {
          c = { rule, errorCodes: [], keywords: [] };
          candidates.set(index, c);
        }
        return c;
      };

      const code = input.errorCode?.trim();
      if (code) {
        for (const index of byErrorCode.get(code.toLowerCase()) ?? []) candidate(index)?.errorCodes.push(code);
      }
      const words = tokens(`${input.shortDescription} ${input.detailedDescription ?? ''}`);
      for (let i = 0; i < words.length; i++) {
        const keywords = byFirstToken.get(words[i] as string);
        if (!keywords) continue;
        for (const kw of keywords) {
          if (!startsAt(words, i, kw.tokens)) continue;
          const c = candidate(kw.rule);
          if (c && !c.keywords.includes(kw.text)) c.keywords.push(kw.text);
        }
      }

      const ranked = [...candidates.values()].sort(compare);
      const [winner, second] = ranked;
      if (winner) {
        return {
          topic: winner.rule.rule.topic,
          resources: winner.rule.rule.recommendedResources,
          ruleId: winner.rule.rule.id,
          outcome: 'rule',
          matched: { errorCodes: winner.errorCodes, keywords: winner.keywords },
          reason: explain(winner, second, ranked.length - 1),
          runnersUp: ranked.slice(1).map((c) => c.rule.rule.id),
        };
      }
      const fallback = defaults.get(category);
      if (fallback) {
        return {
          topic: fallback.topic,
          resources: fallback.recommendedResources,
          ruleId: null,
          outcome: 'categoryDefault',
          matched: { errorCodes: [], keywords: [] },
          reason: `No rule matched; "${fallback.category}" defaults to "${fallback.topic}".`,
          runnersUp: [],
        };
      }
      return {
        topic: config.fallback.topic,
        resources: config.fallback.recommendedResources,
        ruleId: null,
        outcome: 'fallback',
        matched: { errorCodes: [], keywords: [] },
        reason: `No rule matched and category "${input.category}" has no default.`,
        runnersUp: [],
      };
    },
  };
}

function startsAt(words: readonly string[], at: number, phrase: readonly string[]): boolean {
  if (at + phrase.length > words.length) return false;
  for (let j = 1; j < phrase.length; j++) if (words[at + j] !== phrase[j]) return false;
  return true;
}

/** The precedence documented on {@link compileClassifier}, as a list of tie-breakers. */
const CRITERIA: readonly { readonly name: string; readonly score: (c: Candidate) => number }[] = [
  { name: 'matching the error code', score: (c) => (c.errorCodes.length ? 1 : 0) },
  { name: 'matching more keywords', score: (c) => c.keywords.length },
  { name: 'being specific to the category', score: (c) => (c.rule.category === null ? 0 : 1) },
  { name: 'being listed first', score: (c) => -c.rule.index },
];

function compare(a: Candidate, b: Candidate): number {
  for (const { score } of CRITERIA) {
    const d = score(b) - score(a);
    if (d !== 0) return d;
  }
  return 0;
}

function explain(winner: Candidate, second: Candidate | undefined, others: number): string {
  const what = [
    ...(winner.errorCodes.length ? [`error code ${winner.errorCodes.join(', ')}`] : []),
    ...(winner.keywords.length ? [`keyword${winner.keywords.length > 1 ? 's' : ''} ${winner.keywords.map((k) => `"${k}"`).join(', ')}`] : []),
  ].join(' and ');
  const head = `Rule "${winner.rule.rule.id}" matched ${what}`;
  if (!second) return `${head}; it was the only matching rule.`;
  const decider = CRITERIA.find(({ score }) => score(winner) !== score(second));
  return `${head}; it beat ${others} other matching rule${others > 1 ? 's' : ''} (next: "${second.rule.rule.id}") by ${decider?.name ?? 'being listed first'}.`;
}
