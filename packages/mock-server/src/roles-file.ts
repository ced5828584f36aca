/**
 * Parses the `--roles FILE` mapping: a JSON object of model name → the role a token needs to use it,
 * e.g. `{"fraud-score": "fraud-score", "sentiment": "nlp-user"}`.
 *
 * @example
 * parseRolesFile('{"fraud-score": "fraud-score"}', 'roles.json'); // { 'fraud-score': 'fraud-score' }
 */
export function parseRolesFile(text: string, path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`modelwire-mock: --roles ${path} is not JSON: write {"<model>": "<role>", ...}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`modelwire-mock: --roles ${path} must be a JSON object {"<model>": "<role>", ...}`);
  }
  const roles: Record<string, string> = {};
  for (const [model, role] of Object.entries(parsed)) {
    if (typeof role !== 'string' || role === '') {
      throw new Error(`modelwire-mock: --roles ${path}: the role of model ${JSON.stringify(model)} must be a non-empty string`);
    }
    roles[model] = role;
  }
  return roles;
}
