import { constants, createPublicKey, verify } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  GetPublicKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { startKmsEmulator } from '../../local/kms/server.js';
import { startKmsFixture, type KmsFixture } from './kms-fixture.js';

let fixture: KmsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const message = Buffer.from('signed before and after a restart');

describe('persistence across restarts', () => {
  it('keeps a key that signs with the same private key and publishes the same public key', async () => {
    fixture = await startKmsFixture();
    const key = await fixture.createSigningKey();
    const before = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    const metadataBefore = (await fixture.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
    const signedBefore = await fixture.kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));

    await fixture.restart();

    const after = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    expect(Buffer.from(after.PublicKey ?? []).equals(Buffer.from(before.PublicKey ?? []))).toBe(true);
    expect((await fixture.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toEqual(metadataBefore);

    // A signature made after the restart verifies with the public key fetched before it, and vice versa.
    const publicKeyBefore = createPublicKey({ key: Buffer.from(before.PublicKey ?? []), format: 'der', type: 'spki' });
    const signedAfter = await fixture.kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    const pss = { key: publicKeyBefore, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', message, pss, signedAfter.Signature ?? new Uint8Array())).toBe(true);
    const verified = await fixture.kms.send(
      new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: signedBefore.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    expect(verified.SignatureValid).toBe(true);
  });

  it('keeps aliases, key states, tags, descriptions and regions', async () => {
    fixture = await startKmsFixture();
    const ireland = fixture.clientFor('eu-west-1');
    const aliased = await fixture.createSigningKey();
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: aliased.KeyId }));
    const disabled = await fixture.createSigningKey();
    await fixture.kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const doomed = await fixture.createSigningKey();
    const scheduled = await fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 9 }));
    const { KeyMetadata: described } = await ireland.send(
      new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', Description: 'regional', Tags: [{ TagKey: 't', TagValue: 'v' }] }),
    );

    await fixture.restart();

    expect((await fixture.kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata?.KeyId).toBe(aliased.KeyId);
    const sign = fixture.kms.send(new SignCommand({ KeyId: disabled.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    await expect(sign).rejects.toBeInstanceOf(DisabledException);
    expect((await fixture.kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId }))).KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      DeletionDate: scheduled.DeletionDate,
      PendingDeletionWindowInDays: 9,
    });
    expect((await ireland.send(new DescribeKeyCommand({ KeyId: described?.KeyId }))).KeyMetadata).toEqual(described);
    expect((await ireland.send(new ListResourceTagsCommand({ KeyId: described?.KeyId }))).Tags).toEqual([{ TagKey: 't', TagValue: 'v' }]);
    const { Keys } = await fixture.kms.send(new ListKeysCommand({}));
    expect(Keys?.map((entry) => entry.KeyId)).toEqual([aliased.KeyId, disabled.KeyId, doomed.KeyId]);
  });

  it('persists every key of concurrent CreateKey calls', async () => {
    fixture = await startKmsFixture();
    const created = await Promise.all(Array.from({ length: 6 }, () => fixture?.createSigningKey()));
    await fixture.restart();
    const { Keys } = await fixture.kms.send(new ListKeysCommand({}));
    expect(new Set(Keys?.map((entry) => entry.KeyId))).toEqual(new Set(created.map((key) => key?.KeyId)));
  });
});

describe('the state file', () => {
  it('lives at <dataDir>/kms/keys.json, private to its owner, with no temporary files left behind', async () => {
    fixture = await startKmsFixture();
    const key = await fixture.createSigningKey();
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/on-disk', TargetKeyId: key.KeyId }));
    const directory = join(fixture.dataDir, 'kms');
    expect(await readdir(directory)).toEqual(['keys.json']);
    expect((await stat(join(directory, 'keys.json'))).mode & 0o777).toBe(0o600);
    const state = JSON.parse(await readFile(join(directory, 'keys.json'), 'utf8'));
    expect(state).toMatchObject({
      version: 1,
      keys: [{ keyId: key.KeyId, region: 'us-east-1', keySpec: 'RSA_2048', state: 'Enabled' }],
      aliases: [{ aliasName: 'alias/on-disk', targetKeyId: key.KeyId, region: 'us-east-1' }],
    });
    expect(state.keys[0].privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('refuses to start on a corrupt state file rather than silently starting empty', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kms-emulator-'));
    try {
      await mkdir(join(dataDir, 'kms'));
      const file = join(dataDir, 'kms', 'keys.json');
      await writeFile(file, '{"version": 1, "keys": [');
      await expect(startKmsEmulator({ dataDir })).rejects.toThrow(`KMS state file ${file} is not JSON`);
      await writeFile(file, JSON.stringify({ version: 1, keys: [{ keyId: 'x' }], aliases: [] }));
      await expect(startKmsEmulator({ dataDir })).rejects.toThrow(`KMS state file ${file} is not valid`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
