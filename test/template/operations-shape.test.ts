// The operations part of the deployed stack (metrics namespace, tracing, access logs, alarms, dashboard, saved
// queries, audit table, operator policy), read from the SAM translator's output like deployed-shape.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../shared/metrics/invocation-metrics.js';
import { deployedResources, resourcesOfType, samTransform, type Resource, type TransformedTemplate } from '../support/sam-transform.js';

const FUNCTIONS = ['TokenFunction', 'AuthorizerFunction', 'ProductsFunction', 'DiscoveryFunction'] as const;
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const XRAY = 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess';

/** Transformed with these parameters, then with conditions and intrinsics resolved. */
function deployed(parameters: Record<string, string> = {}): Record<string, Resource> {
  return deployedResources(samTransform({ parameterOverrides: parameters }), parameters);
}

function roleOf(resources: Record<string, Resource>, fn: string): Resource {
  return resources[String(resources[fn]!.Properties!.Role).replace(/\.Arn$/, '')]!;
}

function stageOf(resources: Record<string, Resource>): Resource {
  const stages = Object.values(resourcesOfType(resources, 'AWS::ApiGateway::Stage'));
  expect(stages).toHaveLength(1);
  return stages[0]!;
}

let defaults: Record<string, Resource>;
let template: TransformedTemplate;
beforeAll(() => {
  template = samTransform();
  defaults = deployedResources(template);
});

describe('tracing parameter', () => {
  it('leaves tracing off by default: no TracingConfig, no X-Ray permission, no stage tracing', () => {
    for (const fn of FUNCTIONS) {
      expect(defaults[fn]!.Properties?.TracingConfig).toBeUndefined();
      expect(roleOf(defaults, fn).Properties?.ManagedPolicyArns).toEqual([BASIC]);
    }
    expect(stageOf(defaults).Properties?.TracingEnabled).toBe(false);
  });

  it('with Tracing=Active traces every function and the stage, adding only the X-Ray write policy', () => {
    const traced = deployed({ Tracing: 'Active' });
    for (const fn of FUNCTIONS) {
      expect(traced[fn]!.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
      expect(roleOf(traced, fn).Properties?.ManagedPolicyArns).toEqual([BASIC, XRAY]);
    }
    expect(stageOf(traced).Properties?.TracingEnabled).toBe(true);
  });
});

describe('metrics', () => {
  it('gives every function the namespace parameter and no CloudWatch permission (EMF goes through the log)', () => {
    const named = deployed({ MetricsNamespace: 'Acme/OAuth' });
    for (const fn of FUNCTIONS) {
      const variables = (named[fn]!.Properties?.Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('Acme/OAuth');
      expect(JSON.stringify(roleOf(named, fn).Properties?.Policies ?? [])).not.toContain('cloudwatch:');
    }
  });
});

describe('API access log', () => {
  it('writes one JSON line per request, with the authorizer context, to a group kept for LogRetentionDays', () => {
    const resources = deployed({ LogRetentionDays: '90' });
    const setting = stageOf(resources).Properties?.AccessLogSetting as { DestinationArn: string; Format: string };
    expect(setting.DestinationArn).toBe('ApiAccessLogGroup.Arn');
    expect(resources.ApiAccessLogGroup!.Properties?.RetentionInDays).toBe('90');
    // With API Gateway's "-" for absent values the line must still be JSON.
    const sample = JSON.parse(setting.Format.replaceAll(/\$context\.[A-Za-z.]+/g, (variable) => (variable === '$context.status' || variable === '$context.responseLatency' ? '200' : '-')));
    expect(Object.keys(sample)).toEqual([
      'requestId', 'ip', 'requestTime', 'httpMethod', 'resourcePath', 'status', 'protocol', 'responseLength',
      'responseLatency', 'integrationLatency', 'clientId', 'authorizerError',
    ]);
    expect(setting.Format).toContain('"clientId":"$context.authorizer.clientId"');
    expect(setting.Format).toContain('"authorizerError":"$context.authorizer.error"');
  });

  it('sets the account-level CloudWatch role that access logging needs, and keeps it when the stack goes', () => {
    expect(template.Resources.ApiGatewayAccount).toMatchObject({ DeletionPolicy: 'Retain', Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } } });
    const role = defaults.ApiGatewayCloudWatchRole!;
    expect(role.DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(role.Properties?.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    expect(role.Properties?.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']);
    // The stage comes after the account setting (RestApi → Deployment → Stage).
    expect(template.Resources.Api!.DependsOn).toBe('ApiGatewayAccount');
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOfType(defaults, 'AWS::CloudWatch::Alarm');

  it('alarms on token 5xx rate, dependency failures, KMS throttling, cannot-decide, API 5xx and p99, and per-function errors and throttles', () => {
    expect(Object.keys(alarms()).sort()).toEqual(
      [
        'TokenEndpointErrorRateAlarm', 'DependencyFailuresAlarm', 'KmsThrottlingAlarm', 'AuthorizerCannotDecideAlarm', 'ApiServerErrorsAlarm', 'ApiLatencyP99Alarm',
        ...FUNCTIONS.flatMap((fn) => [`${fn}ErrorsAlarm`, `${fn}ThrottlesAlarm`]),
      ].sort(),
    );
  });

  it('notifies the alarm topic on alarm and on recovery, and treats no data as healthy', () => {
    for (const [id, alarm] of Object.entries(alarms())) {
      expect({ id, ...alarm.Properties }).toMatchObject({ id, AlarmActions: ['AlarmTopic'], OKActions: ['AlarmTopic'], TreatMissingData: 'notBreaching' });
    }
  });

  it('reads only metrics the functions emit, under the namespace parameter', () => {
    const named = deployed({ MetricsNamespace: 'Acme/OAuth' });
    const ours = Object.values(resourcesOfType(named, 'AWS::CloudWatch::Alarm')).flatMap((alarm) => {
      const stats = [alarm.Properties!, ...((alarm.Properties!.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[] | undefined) ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))];
      return stats.filter((stat) => stat.Namespace !== undefined && !String(stat.Namespace).startsWith('AWS/'));
    });
    expect(ours.length).toBeGreaterThanOrEqual(7);
    for (const stat of ours) {
      expect(stat.Namespace).toBe('Acme/OAuth');
      expect(METRIC_NAMES).toContain(stat.MetricName);
    }
  });

  it('alarms on KMS throttling through the throttled kind of DependencyFailures', () => {
    expect(alarms().KmsThrottlingAlarm!.Properties).toMatchObject({
      MetricName: 'DependencyFailures',
      Dimensions: [{ Name: 'service', Value: 'token' }, { Name: 'dependency', Value: 'KMS' }, { Name: 'kind', Value: 'throttled' }],
    });
  });

  it('subscribes AlarmEmail to the topic only when it is given', () => {
    expect(defaults.AlarmEmailSubscription).toBeUndefined();
    const subscribed = deployed({ AlarmEmail: 'ops@example.com' });
    expect(subscribed.AlarmEmailSubscription!.Properties).toEqual({ TopicArn: 'AlarmTopic', Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('dashboard and saved queries', () => {
  it('shows issuance, refusals by reason, dependency failures, authorizer outcomes, latency and errors', () => {
    const body = JSON.parse(String(deployed({ MetricsNamespace: 'Acme/OAuth' }).Dashboard!.Properties!.DashboardBody)) as { widgets: { properties: { title: string } }[] };
    expect(body.widgets.map((widget) => widget.properties.title)).toEqual([
      'Tokens issued', 'Token refusals by reason', 'Dependency failures by kind', 'Authorizer decisions by outcome', 'KMS Sign latency (ms)',
      'API latency (ms)', 'API 4xx / 5xx', 'Lambda errors and throttles', 'Lambda duration p99 (ms)', 'Tokens per client',
    ]);
    expect(JSON.stringify(body)).toContain('Acme/OAuth');
  });

  it('saves the Logs Insights queries "tokens per client", "refusals by reason and client" and "slowest requests"', () => {
    const queries = Object.values(resourcesOfType(defaults, 'AWS::Logs::QueryDefinition')).map((query) => ({
      name: query.Properties!.Name,
      groups: query.Properties!.LogGroupNames,
    }));
    expect(queries).toEqual([
      { name: 'oauth-cc/tokens per client', groups: ['TokenFunctionLogGroup'] },
      { name: 'oauth-cc/refusals by reason and client', groups: ['TokenFunctionLogGroup', 'AuthorizerFunctionLogGroup'] },
      { name: 'oauth-cc/slowest requests', groups: ['ApiAccessLogGroup'] },
    ]);
  });
});

describe('audit trail', () => {
  it('keeps the audit table with point-in-time recovery, deletion protection and retention', () => {
    const table = template.Resources.AuditTable!;
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }, { AttributeName: 'eventKey', KeyType: 'RANGE' }],
    });
  });

  it('gives no function any access to the audit table', () => {
    for (const fn of FUNCTIONS) expect(JSON.stringify(roleOf(defaults, fn).Properties)).not.toContain('AuditTable');
  });

  it('lets operators append and query audit records but never change or delete them', () => {
    const statements = (defaults.ClientAdministratorPolicy!.Properties!.PolicyDocument as { Statement: { Sid: string; Effect: string; Action: string | string[]; Resource: unknown }[] }).Statement;
    const onAudit = statements.filter((statement) => JSON.stringify(statement.Resource).includes('AuditTable'));
    const allowed = onAudit.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()).sort();
    const denied = onAudit.filter((s) => s.Effect === 'Deny').flatMap((s) => [s.Action].flat());
    expect(allowed).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(denied).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete']));
  });
});
