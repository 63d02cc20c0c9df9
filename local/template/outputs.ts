// The Outputs section resolved, for printing what a deploy would print (URLs, table names, key ids).
import { resolve } from './intrinsics.js';
import { optionalField, optionalRecord, optionalString } from './shape.js';
import type { Stack } from './stack.js';

export interface OutputDescription {
  value: unknown;
  description?: string;
}

export function describeOutputs(stack: Stack): Record<string, OutputDescription> {
  const outputs: Record<string, OutputDescription> = {};
  for (const [name, raw] of Object.entries(optionalRecord(stack.document.body.Outputs, 'Outputs'))) {
    const at = `Outputs.${name}`;
    const output = optionalRecord(raw, at);
    const condition = optionalString(output.Condition, `${at}.Condition`);
    if (condition !== undefined && !stack.scope.condition(condition, `${at}.Condition`)) continue;
    outputs[name] = {
      value: resolve(output.Value, stack.scope, `${at}.Value`),
      ...optionalField('description', optionalString(output.Description, `${at}.Description`)),
    };
  }
  return outputs;
}
