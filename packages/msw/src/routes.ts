/**
 * The contract's paths (below the base URL) and the methods each one declares, for telling a
 * wrong method on a known path (405 with `Allow`) from an unknown path (404). A test checks this
 * table against openapi/modelwire.yaml.
 */
export const CONTRACT_ROUTES: ReadonlyArray<{ path: string; methods: readonly string[] }> = [
  { path: '/health/live', methods: ['GET'] },
  { path: '/health/ready', methods: ['GET'] },
  { path: '/models', methods: ['GET'] },
  { path: '/models/{model}/health', methods: ['GET'] },
  { path: '/models/{model}/info', methods: ['GET'] },
  { path: '/models/{model}/predict', methods: ['POST'] },
  { path: '/models/{model}/jobs', methods: ['POST'] },
  { path: '/models/{model}/jobs/{job_id}', methods: ['GET', 'DELETE'] },
  { path: '/models/{model}/feedback', methods: ['POST'] },
];

const MATCHERS = CONTRACT_ROUTES.map((route) => ({
  regex: new RegExp(`^${route.path.replace(/\{[a-z_]+\}/g, '[^/]+')}$`),
  methods: route.methods,
}));

/**
 * The methods the contract declares for `path` (below the base URL), or undefined for an unknown path.
 *
 * @example allowedMethods('/models/fraud-score/predict'); // ['POST']
 */
export function allowedMethods(path: string): readonly string[] | undefined {
  return MATCHERS.find((m) => m.regex.test(path))?.methods;
}
