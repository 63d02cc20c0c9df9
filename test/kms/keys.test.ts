import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EnableKeyCommand,
  GetPublicKeyCommand,
  InvalidMarkerException,
  KMSInvalidStateException,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagException,
  UnsupportedOperationException,
  type CreateKeyCommandInput,
  type KeySpec,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsFixture, type KmsFixture } from './kms-fixture.js';

const DAY_MS = 86_400_000;
let clock = Date.UTC(2025, 0, 15, 12, 0, 0);
let fixture: KmsFixture;

beforeAll(async () => {
  fixture = await startKmsFixture({ now: () => clock });
});
afterAll(() => fixture.close());

const send = {
  describe: (KeyId: string) => fixture.kms.send(new DescribeKeyCommand({ KeyId })),
  sign: (KeyId: string) =>
    fixture.kms.send(new SignCommand({ KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })),
};

describe('CreateKey', () => {
  it('answers with KeyMetadata shaped like KMS for an RSA signing key', async () => {
    const response = await fixture.kms.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'token signing key' }),
    );
    const metadata = response.KeyMetadata;
    expect(metadata?.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(metadata).toEqual({
      AWSAccountId: '000000000000',
      KeyId: metadata?.KeyId,
      Arn: `arn:aws:kms:us-east-1:000000000000:key/${metadata?.KeyId}`,
      CreationDate: new Date(clock),
      Enabled: true,
      Description: 'token signing key',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'RSA_2048',
      KeySpec: 'RSA_2048',
      SigningAlgorithms: [
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512',
      ],
      MultiRegion: false,
    });
  });

  it('accepts the deprecated CustomerMasterKeySpec in place of KeySpec, but not both', async () => {
    const legacy = await fixture.kms.send(new CreateKeyCommand({ CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    expect(legacy.KeyMetadata?.KeySpec).toBe('RSA_2048');
    const both = fixture.kms.send(new CreateKeyCommand({ CustomerMasterKeySpec: 'RSA_2048', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    await expect(both).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('stores Tags, readable with ListResourceTags', async () => {
    const tags = [
      { TagKey: 'purpose', TagValue: 'jwt' },
      { TagKey: 'empty', TagValue: '' },
    ];
    const { KeyMetadata } = await fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Tags: tags }));
    const listed = await fixture.kms.send(new ListResourceTagsCommand({ KeyId: KeyMetadata?.Arn }));
    expect(listed.Tags).toEqual(tags);
    expect(listed.Truncated).toBe(false);
  });

  it('answers TagException for a repeated tag key and ValidationException for a tag without key', async () => {
    const repeated = [
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'a', TagValue: '2' },
    ];
    await expect(
      fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Tags: repeated })),
    ).rejects.toBeInstanceOf(TagException);
    const keyless = [{ TagValue: 'x' }] as unknown as CreateKeyCommandInput['Tags'];
    await expect(fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Tags: keyless }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers UnsupportedOperationException for valid key types this emulator does not create', async () => {
    const cases: CreateKeyCommandInput[] = [
      {},
      { KeySpec: 'SYMMETRIC_DEFAULT' },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' },
      { KeySpec: 'RSA_2048' },
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' },
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', MultiRegion: true },
    ];
    for (const input of cases) {
      await expect(fixture.kms.send(new CreateKeyCommand(input)), JSON.stringify(input)).rejects.toBeInstanceOf(UnsupportedOperationException);
    }
  });

  it('answers ValidationException for specs and usages KMS itself rejects', async () => {
    const cases: CreateKeyCommandInput[] = [
      { KeySpec: 'RSA_1024' as KeySpec, KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN' as 'SIGN_VERIFY' },
      { KeySpec: 'RSA_2048', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'x'.repeat(8193) },
    ];
    for (const input of cases) {
      await expect(fixture.kms.send(new CreateKeyCommand(input)), JSON.stringify(input).slice(0, 80)).rejects.toMatchObject({
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });
});

describe('DescribeKey', () => {
  it('finds a key by key id and by key ARN', async () => {
    const key = await fixture.createSigningKey();
    expect((await send.describe(key.KeyId)).KeyMetadata?.Arn).toBe(key.Arn);
    expect((await send.describe(key.Arn)).KeyMetadata?.KeyId).toBe(key.KeyId);
  });

  it('answers NotFoundException for an unknown id, a malformed id, a foreign ARN and an alias ARN of no alias', async () => {
    const key = await fixture.createSigningKey();
    for (const reference of [
      '0d8a1e55-3c6e-4f1e-9b7a-2a4c5d6e7f80',
      'not-a-key',
      key.Arn.replace(':us-east-1:', ':eu-west-1:'),
      key.Arn.replace(':000000000000:', ':111111111111:'),
      'arn:aws:kms:us-east-1:000000000000:alias/none',
      'arn:aws:s3:::bucket',
    ]) {
      await expect(send.describe(reference), reference).rejects.toBeInstanceOf(NotFoundException);
    }
  });

  it('answers ValidationException when KeyId is missing or empty', async () => {
    await expect(fixture.kms.send(new DescribeKeyCommand({} as { KeyId: string }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    });
    await expect(send.describe('')).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ListKeys', () => {
  it('pages through every key of the region with Limit and NextMarker', async () => {
    await fixture.createSigningKey();
    await fixture.createSigningKey();
    const all = await fixture.kms.send(new ListKeysCommand({}));
    expect(all.Truncated).toBe(false);
    expect(all.NextMarker).toBeUndefined();
    expect(all.Keys?.length).toBeGreaterThanOrEqual(2);
    for (const entry of all.Keys ?? []) expect(entry.KeyArn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${entry.KeyId}`);

    const paged: string[] = [];
    let marker: string | undefined;
    do {
      const page = await fixture.kms.send(new ListKeysCommand({ Limit: 1, ...(marker && { Marker: marker }) }));
      expect(page.Keys).toHaveLength(1);
      paged.push(...(page.Keys ?? []).map((entry) => entry.KeyId ?? ''));
      expect(page.Truncated).toBe(page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    expect(paged).toEqual(all.Keys?.map((entry) => entry.KeyId));
  });

  it('answers InvalidMarkerException for a marker it did not issue and ValidationException for Limit 0', async () => {
    await expect(fixture.kms.send(new ListKeysCommand({ Marker: 'bogus' }))).rejects.toBeInstanceOf(InvalidMarkerException);
    await expect(fixture.kms.send(new ListKeysCommand({ Limit: 0 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(fixture.kms.send(new ListKeysCommand({ Limit: 1001 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('EnableKey and DisableKey', () => {
  it('disables a key so it can no longer sign or give its public key, and enables it again', async () => {
    const key = await fixture.createSigningKey();
    const disabled = await fixture.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect(disabled.$metadata.httpStatusCode).toBe(200);
    expect((await send.describe(key.KeyId)).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await expect(send.sign(key.KeyId)).rejects.toBeInstanceOf(DisabledException);
    await expect(fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).rejects.toBeInstanceOf(DisabledException);

    await fixture.kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
    expect((await send.describe(key.KeyId)).KeyMetadata).toMatchObject({ Enabled: true, KeyState: 'Enabled' });
    expect((await send.sign(key.KeyId)).Signature).toHaveLength(256);
  });

  it('takes only a key id or key ARN, not an alias', async () => {
    const key = await fixture.createSigningKey();
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/enable-me', TargetKeyId: key.KeyId }));
    await expect(fixture.kms.send(new DisableKeyCommand({ KeyId: 'alias/enable-me' }))).rejects.toBeInstanceOf(NotFoundException);
    expect((await send.describe(key.KeyId)).KeyMetadata?.KeyState).toBe('Enabled');
  });
});

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  it('accepts a waiting period of 7 to 30 days only', async () => {
    const key = await fixture.createSigningKey();
    for (const days of [6, 31, 0]) {
      await expect(
        fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: days })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    }
    expect((await send.describe(key.KeyId)).KeyMetadata?.KeyState).toBe('Enabled');
  });

  it('defaults the waiting period to 30 days', async () => {
    const key = await fixture.createSigningKey();
    const response = await fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    expect(response.PendingWindowInDays).toBe(30);
    expect(response.DeletionDate).toEqual(new Date(clock + 30 * DAY_MS));
  });

  it('puts the key in PendingDeletion, where it cannot be used, and cancelling leaves it Disabled', async () => {
    const key = await fixture.createSigningKey();
    const scheduled = await fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({
      KeyId: key.Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
      DeletionDate: new Date(clock + 7 * DAY_MS),
    });
    expect((await send.describe(key.KeyId)).KeyMetadata).toMatchObject({
      Enabled: false,
      KeyState: 'PendingDeletion',
      DeletionDate: new Date(clock + 7 * DAY_MS),
      PendingDeletionWindowInDays: 7,
    });

    // Thunks, so no request is in flight (and possibly rejected) before its expectation is attached.
    for (const attempt of [
      () => send.sign(key.KeyId),
      () => fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId })),
      () => fixture.kms.send(new EnableKeyCommand({ KeyId: key.KeyId })),
      () => fixture.kms.send(new DisableKeyCommand({ KeyId: key.KeyId })),
      () => fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 })),
      () => fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId })),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(KMSInvalidStateException);
    }

    expect(await fixture.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))).toMatchObject({ KeyId: key.Arn });
    const metadata = (await send.describe(key.KeyId)).KeyMetadata;
    expect(metadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    expect(metadata?.DeletionDate).toBeUndefined();
    expect(metadata?.PendingDeletionWindowInDays).toBeUndefined();
    await expect(send.sign(key.KeyId)).rejects.toBeInstanceOf(DisabledException);
    await expect(fixture.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))).rejects.toBeInstanceOf(KMSInvalidStateException);

    await fixture.kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    expect((await send.sign(key.KeyId)).Signature).toHaveLength(256);
  });

  it('deletes the key and its aliases once the waiting period is over', async () => {
    const key = await fixture.createSigningKey();
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/short-lived', TargetKeyId: key.KeyId }));
    await fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));

    clock += 7 * DAY_MS - 1;
    expect((await send.describe(key.KeyId)).KeyMetadata?.KeyState).toBe('PendingDeletion');
    clock += 1;
    await expect(send.describe(key.KeyId)).rejects.toBeInstanceOf(NotFoundException);
    const { Keys } = await fixture.kms.send(new ListKeysCommand({}));
    expect(Keys?.map((entry) => entry.KeyId)).not.toContain(key.KeyId);
    const { Aliases } = await fixture.kms.send(new ListAliasesCommand({}));
    expect(Aliases?.map((alias) => alias.AliasName)).not.toContain('alias/short-lived');
  });
});

describe('regions', () => {
  it('keeps keys in the region of the signing credentials', async () => {
    const ireland = fixture.clientFor('eu-west-1');
    const key = await fixture.createSigningKey(ireland);
    expect(key.Arn).toBe(`arn:aws:kms:eu-west-1:000000000000:key/${key.KeyId}`);
    expect((await ireland.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.Arn).toBe(key.Arn);
    await expect(send.describe(key.KeyId)).rejects.toBeInstanceOf(NotFoundException);
    const { Keys } = await fixture.kms.send(new ListKeysCommand({}));
    expect(Keys?.map((entry) => entry.KeyId)).not.toContain(key.KeyId);
  });
});
