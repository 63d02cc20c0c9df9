// The smallest function there is, bundled and started exactly like ours: the cold-start benchmark's floor.
export const handler = async () => ({ statusCode: 200, body: 'hello' });
