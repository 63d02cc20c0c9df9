import { startTemplateTable, tableDefinition, type TemplateTableFixture } from '../support/template-table.js';

/** dynalite with one clients table shaped exactly as template.yaml declares ClientsTable. */
export interface ClientsTableFixture extends TemplateTableFixture {
  tableName: string;
  /** The revocation table beside it, where disable, delete and revoke-tokens record cut-offs. */
  revocationsTable: string;
}

export async function startClientsTable(): Promise<ClientsTableFixture> {
  const fixture = await startTemplateTable('ClientsTable');
  return { ...fixture, tableName: await fixture.createTable(), revocationsTable: await fixture.createTemplateTable('RevocationsTable') };
}

export const clientsTableDefinition = () => tableDefinition('ClientsTable');
