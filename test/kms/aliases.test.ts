import {
  AlreadyExistsException,
  CreateAliasCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  InvalidAliasNameException,
  ListAliasesCommand,
  NotFoundException,
  SignCommand,
  UpdateAliasCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsFixture, type KmsFixture, type SigningKey } from './kms-fixture.js';

let clock = Date.UTC(2025, 5, 1);
let fixture: KmsFixture;
let first: SigningKey;
let second: SigningKey;

beforeAll(async () => {
  fixture = await startKmsFixture({ now: () => clock });
  first = await fixture.createSigningKey();
  second = await fixture.createSigningKey();
});
afterAll(() => fixture.close());

const aliasArn = (name: string) => `arn:aws:kms:us-east-1:000000000000:${name}`;
const createAlias = (AliasName: string, TargetKeyId: string) => fixture.kms.send(new CreateAliasCommand({ AliasName, TargetKeyId }));
const describeKey = (KeyId: string) => fixture.kms.send(new DescribeKeyCommand({ KeyId }));

describe('alias resolution', () => {
  beforeAll(() => createAlias('alias/token-signer', first.KeyId));

  it('resolves an alias name and an alias ARN to the target key', async () => {
    expect((await describeKey('alias/token-signer')).KeyMetadata?.KeyId).toBe(first.KeyId);
    expect((await describeKey(aliasArn('alias/token-signer'))).KeyMetadata?.KeyId).toBe(first.KeyId);
  });

  it('signs through an alias and names the key ARN, not the alias, in the answer', async () => {
    const signed = await fixture.kms.send(
      new SignCommand({ KeyId: 'alias/token-signer', Message: Buffer.from('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    expect(signed.KeyId).toBe(first.Arn);
    const verified = await fixture.kms.send(
      new VerifyCommand({
        KeyId: first.KeyId,
        Message: Buffer.from('m'),
        Signature: signed.Signature,
        SigningAlgorithm: 'RSASSA_PSS_SHA_256',
      }),
    );
    expect(verified.SignatureValid).toBe(true);
    const publicKey = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: aliasArn('alias/token-signer') }));
    expect(publicKey.KeyId).toBe(first.Arn);
  });

  it('answers NotFoundException for an alias that does not exist', async () => {
    await expect(describeKey('alias/missing')).rejects.toBeInstanceOf(NotFoundException);
    await expect(describeKey(aliasArn('alias/missing'))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('does not let an alias in one region resolve in another', async () => {
    const tokyo = fixture.clientFor('ap-northeast-1');
    await expect(tokyo.send(new DescribeKeyCommand({ KeyId: 'alias/token-signer' }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(describeKey('arn:aws:kms:ap-northeast-1:000000000000:alias/token-signer')).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('CreateAlias', () => {
  it('answers AlreadyExistsException for a name already in use', async () => {
    await createAlias('alias/taken', first.KeyId);
    await expect(createAlias('alias/taken', second.KeyId)).rejects.toBeInstanceOf(AlreadyExistsException);
    expect((await describeKey('alias/taken')).KeyMetadata?.KeyId).toBe(first.KeyId);
  });

  it('answers InvalidAliasNameException without the alias/ prefix or with the reserved alias/aws/ prefix', async () => {
    for (const name of ['token-signer', 'alias/', 'alias/aws/mine']) {
      await expect(createAlias(name, first.KeyId), name).rejects.toBeInstanceOf(InvalidAliasNameException);
    }
  });

  it('answers ValidationException for characters outside the alias pattern', async () => {
    await expect(createAlias('alias/with space', first.KeyId)).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('needs an existing key given by id or key ARN as target', async () => {
    await createAlias('alias/by-arn', second.Arn);
    expect((await describeKey('alias/by-arn')).KeyMetadata?.KeyId).toBe(second.KeyId);
    await expect(createAlias('alias/orphan', '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundException);
    await expect(createAlias('alias/alias-of-alias', 'alias/by-arn')).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('UpdateAlias', () => {
  it('points an alias at another key and moves LastUpdatedDate only', async () => {
    const created = clock;
    await createAlias('alias/rotating', first.KeyId);
    clock += 60_000;
    await fixture.kms.send(new UpdateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: second.KeyId }));
    expect((await describeKey('alias/rotating')).KeyMetadata?.KeyId).toBe(second.KeyId);
    const { Aliases } = await fixture.kms.send(new ListAliasesCommand({ KeyId: second.KeyId }));
    expect(Aliases?.find((alias) => alias.AliasName === 'alias/rotating')).toEqual({
      AliasName: 'alias/rotating',
      AliasArn: aliasArn('alias/rotating'),
      TargetKeyId: second.KeyId,
      CreationDate: new Date(created),
      LastUpdatedDate: new Date(clock),
    });
  });

  it('answers NotFoundException for an alias that does not exist', async () => {
    const update = fixture.kms.send(new UpdateAliasCommand({ AliasName: 'alias/never-made', TargetKeyId: first.KeyId }));
    await expect(update).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('ListAliases', () => {
  it('lists every alias of the region, or only those of one key', async () => {
    await createAlias('alias/listed-a', first.KeyId);
    await createAlias('alias/listed-b', second.KeyId);
    const all = await fixture.kms.send(new ListAliasesCommand({}));
    expect(all.Truncated).toBe(false);
    expect(all.Aliases?.map((alias) => alias.AliasName)).toEqual(expect.arrayContaining(['alias/listed-a', 'alias/listed-b']));

    const ofFirst = await fixture.kms.send(new ListAliasesCommand({ KeyId: first.Arn }));
    expect(ofFirst.Aliases?.length).toBeGreaterThan(0);
    expect(ofFirst.Aliases?.every((alias) => alias.TargetKeyId === first.KeyId)).toBe(true);
    expect(ofFirst.Aliases?.map((alias) => alias.AliasName)).toContain('alias/listed-a');
    expect(ofFirst.Aliases?.map((alias) => alias.AliasName)).not.toContain('alias/listed-b');
  });

  it('pages with Limit and NextMarker', async () => {
    const { Aliases: all = [] } = await fixture.kms.send(new ListAliasesCommand({}));
    const firstPage = await fixture.kms.send(new ListAliasesCommand({ Limit: 2 }));
    expect(firstPage).toMatchObject({ Truncated: true, Aliases: all.slice(0, 2) });
    const secondPage = await fixture.kms.send(new ListAliasesCommand({ Limit: 2, Marker: firstPage.NextMarker }));
    expect(secondPage.Aliases).toEqual(all.slice(2, 4));
  });

  it('answers NotFoundException when filtering by a key that does not exist', async () => {
    const list = fixture.kms.send(new ListAliasesCommand({ KeyId: '00000000-0000-4000-8000-000000000000' }));
    await expect(list).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('DeleteAlias', () => {
  it('removes the alias but not the key, and a second delete is NotFoundException', async () => {
    await createAlias('alias/temporary', first.KeyId);
    await fixture.kms.send(new DeleteAliasCommand({ AliasName: 'alias/temporary' }));
    await expect(describeKey('alias/temporary')).rejects.toBeInstanceOf(NotFoundException);
    expect((await describeKey(first.KeyId)).KeyMetadata?.KeyState).toBe('Enabled');
    await expect(fixture.kms.send(new DeleteAliasCommand({ AliasName: 'alias/temporary' }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('frees the name for a new alias', async () => {
    await createAlias('alias/reused', first.KeyId);
    await fixture.kms.send(new DeleteAliasCommand({ AliasName: 'alias/reused' }));
    await createAlias('alias/reused', second.KeyId);
    expect((await describeKey('alias/reused')).KeyMetadata?.KeyId).toBe(second.KeyId);
  });
});
