import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { schedulingApp } from '@vidivo/app-scheduling';
import { signalingApp } from '@vidivo/app-signaling';
import { composeApps } from '@vidivo/platform';

/** Every app in one process. Each later app joins this list. */
export const standaloneApp = composeApps('standalone', [gatewayApp, identityApp, linksApp, callsApp, billingApp, schedulingApp, signalingApp]);
