import { type HandlerOptions, resolveContext } from './context.js';
import { feedbackHandler } from './feedback.js';
import { healthLiveHandler, healthReadyHandler } from './health.js';
import { cancelJobHandler, getJobHandler, submitJobHandler } from './jobs.js';
import { listModelsHandler } from './list-models.js';
import { modelHealthHandler } from './model-health.js';
import { modelInfoHandler } from './model-info.js';
import { notFoundHandler } from './not-found.js';
import { oauthTokenHandler } from './oauth-token.js';
import { predictHandler } from './predict.js';

/**
 * Every operation of the contract, the fake OIDC token endpoint and a 404 catch-all, sharing one state.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const server = setupServer(...createModelwireHandlers());
 * server.listen();
 */
export function createModelwireHandlers(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return [
    healthLiveHandler(ctx),
    healthReadyHandler(ctx),
    listModelsHandler(ctx),
    modelHealthHandler(ctx),
    modelInfoHandler(ctx),
    predictHandler(ctx),
    submitJobHandler(ctx),
    getJobHandler(ctx),
    cancelJobHandler(ctx),
    feedbackHandler(ctx),
    oauthTokenHandler(ctx),
    notFoundHandler(ctx),
  ];
}
