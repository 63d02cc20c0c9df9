import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DeployedStack, SlotState } from './rotation.js';

/** What the rotation needs to know about the deployed stack; read-only (cloudformation:DescribeStacks). */
export interface DeployedStackSource {
  read(stackName: string, region: string | undefined): Promise<DeployedStack>;
}

export class DeployedStackUnavailable extends Error {
  override readonly name = 'DeployedStackUnavailable';
}

const SLOT_STATES = new Set<string>(['active', 'previous', 'absent']);

/** The template's defaults, for a stack whose parameters list lacks one (deployed from an older template). */
const DEFAULTS = { KeyAState: 'active', KeyBState: 'absent', MaxTokenLifetimeSeconds: '86400', ClockSkewSeconds: '30' };

export function deployedStackFrom(stack: {
  StackStatus?: string;
  LastUpdatedTime?: Date;
  CreationTime?: Date;
  Parameters?: { ParameterKey?: string; ParameterValue?: string }[];
}): DeployedStack {
  const parameters: Record<string, string> = { ...DEFAULTS };
  for (const { ParameterKey, ParameterValue } of stack.Parameters ?? []) {
    if (ParameterKey !== undefined && ParameterValue !== undefined) parameters[ParameterKey] = ParameterValue;
  }
  const slot = (name: 'KeyAState' | 'KeyBState'): SlotState => {
    const value = parameters[name]!;
    if (!SLOT_STATES.has(value)) throw new DeployedStackUnavailable(`the stack's ${name} is "${value}", not active, previous or absent`);
    return value as SlotState;
  };
  const updatedAt = stack.LastUpdatedTime ?? stack.CreationTime;
  if (updatedAt === undefined) throw new DeployedStackUnavailable('CloudFormation gave no creation or update time for the stack');
  const status = stack.StackStatus ?? '';
  return {
    slots: { A: slot('KeyAState'), B: slot('KeyBState') },
    updatedAt,
    status,
    // *_IN_PROGRESS, and a failed update that rolled back (UPDATE_ROLLBACK_COMPLETE) settled: its parameters are the old ones.
    inProgress: status.endsWith('_IN_PROGRESS') || status === '' || status.endsWith('_FAILED'),
    maxTokenLifetimeSeconds: Number(parameters.MaxTokenLifetimeSeconds),
    clockSkewSeconds: Number(parameters.ClockSkewSeconds),
  };
}

export const cloudFormationDeployedStack: DeployedStackSource = {
  async read(stackName, region) {
    const client = new CloudFormationClient({ ...(region === undefined ? {} : { region }), maxAttempts: 2 });
    try {
      const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      const stack = Stacks[0];
      if (stack === undefined) throw new DeployedStackUnavailable(`stack "${stackName}" does not exist`);
      return deployedStackFrom(stack);
    } catch (error) {
      if (error instanceof DeployedStackUnavailable) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new DeployedStackUnavailable(`cannot read stack "${stackName}": ${detail}`, { cause: error });
    } finally {
      client.destroy();
    }
  },
};
