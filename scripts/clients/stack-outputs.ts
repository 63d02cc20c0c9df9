import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** Reads a deployed stack's CloudFormation outputs (OutputKey → OutputValue). */
export interface StackOutputsSource {
  read(stackName: string, region: string | undefined): Promise<Record<string, string>>;
}

export class StackOutputsUnavailable extends Error {
  override readonly name = 'StackOutputsUnavailable';
}

export const cloudFormationStackOutputs: StackOutputsSource = {
  async read(stackName, region) {
    const client = new CloudFormationClient({ ...(region === undefined ? {} : { region }), maxAttempts: 2 });
    try {
      const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      const outputs: Record<string, string> = {};
      for (const { OutputKey, OutputValue } of Stacks[0]?.Outputs ?? []) {
        if (OutputKey !== undefined && OutputValue !== undefined) outputs[OutputKey] = OutputValue;
      }
      return outputs;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new StackOutputsUnavailable(`cannot read the outputs of stack "${stackName}": ${detail}`, { cause: error });
    } finally {
      client.destroy();
    }
  },
};
