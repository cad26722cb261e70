import type { Command } from 'commander';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import type { ExitCode } from './exit-codes.js';
import { addSettingOptions, type Setting } from './settings.js';

/**
 * One command of a platform group (`servicenow incident update`): its words,
 * its own arguments and options, and what it does with the group's client.
 * Verbs call the client's public methods only.
 */
export interface Verb<C> {
  /** The words after the group's name: `['incident', 'update']`, or `['test']`. */
  readonly path: readonly [string, ...string[]];
  readonly description: string;
  /** Declares its arguments and own options; the connection options are added after them. */
  readonly define?: (command: Command) => Command;
  /** Runs it with a client built from this run's settings. */
  readonly run: (client: C, call: Invocation, ctx: CliContext) => Promise<ExitCode | void>;
}

/** A command group that talks to one platform: its settings, how to build its client, and its verbs. */
export interface PlatformGroup<C> {
  readonly name: string;
  readonly description: string;
  /** The connection settings every verb takes. */
  readonly settings: readonly Setting[];
  /** Descriptions of the intermediate commands (`incident`), by their words joined with a space. */
  readonly nouns: Readonly<Record<string, string>>;
  readonly client: (ctx: CliContext, call: Invocation) => Promise<C>;
  /** In help order. A new verb is one entry here. */
  readonly verbs: readonly Verb<C>[];
}

/**
 * A {@link CommandGroup} from a verb list: the intermediate commands are made
 * as the verbs name them, and each verb gets the connection options last, so
 * they list after its own in its help.
 */
export function platformGroup<C>(spec: PlatformGroup<C>): CommandGroup {
  return {
    name: spec.name,
    settings: spec.settings,
    register(program, ctx) {
      const group = program.command(spec.name).description(spec.description);
      const parents = new Map<string, Command>([['', group]]);
      for (const verb of spec.verbs) {
        let parent = group;
        for (let i = 0; i < verb.path.length - 1; i++) {
          const words = verb.path.slice(0, i + 1).join(' ');
          let noun = parents.get(words);
          if (!noun) {
            noun = parent.command(verb.path[i] as string).description(spec.nouns[words] ?? '');
            parents.set(words, noun);
          }
          parent = noun;
        }
        const leaf = parent.command(verb.path[verb.path.length - 1] as string).description(verb.description);
        verb.define?.(leaf);
        leaf.action(ctx.action(async (call) => verb.run(await spec.client(ctx, call), call, ctx)));
        addSettingOptions(leaf, spec.settings);
      }
    },
  };
}
