import { describe, expect, it } from 'vitest';
import { stageArnOf } from '../../functions/authorizer/method-arn.js';

describe('stageArnOf', () => {
  it.each([
    ['arn:aws:execute-api:eu-west-1:111122223333:abc123/v1/GET/products', 'arn:aws:execute-api:eu-west-1:111122223333:abc123/v1'],
    ['arn:aws:execute-api:eu-west-1:111122223333:abc123/v1/DELETE/products/42', 'arn:aws:execute-api:eu-west-1:111122223333:abc123/v1'],
    ['arn:aws-cn:execute-api:cn-north-1:111122223333:abc123/prod/GET/', 'arn:aws-cn:execute-api:cn-north-1:111122223333:abc123/prod'],
    ['arn:aws:execute-api:eu-west-1:111122223333:abc123/v1', 'arn:aws:execute-api:eu-west-1:111122223333:abc123/v1'],
  ])('%s → %s', (methodArn, stageArn) => {
    expect(stageArnOf(methodArn)).toBe(stageArn);
  });

  it.each([
    '',
    'not-an-arn',
    'arn:aws:lambda:eu-west-1:111122223333:abc123/v1/GET/x',
    'arn:aws:execute-api::111122223333:abc123/v1/GET/x',
    'arn:aws:execute-api:eu-west-1::abc123/v1/GET/x',
    'arn:aws:execute-api:eu-west-1:111122223333:/v1/GET/x',
    'arn:aws:execute-api:eu-west-1:111122223333:abc123//GET/x',
    'arn:aws:execute-api:eu-west-1:111122223333:abc123',
    'arn::execute-api:eu-west-1:111122223333:abc123/v1/GET/x',
  ])('refuses %j', (methodArn) => {
    expect(stageArnOf(methodArn)).toBeUndefined();
  });
});
