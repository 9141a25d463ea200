import { connectionRoutes } from './pages/connection.js';
import { dashboardRoutes } from './pages/dashboard.js';
import { dossierRoutes } from './pages/dossier.js';
import { logsRoutes } from './pages/logs.js';
import type { Route } from './page.js';

/** Every page of the status site. */
export const STATUS_ROUTES: readonly Route[] = [
  ...dashboardRoutes, ...dossierRoutes, ...connectionRoutes, ...logsRoutes,
];
