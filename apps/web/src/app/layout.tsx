import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './globals.css';
import { ColorSchemeScript, mantineHtmlProps } from '@mantine/core';
import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { UiProviders } from '~/components/ui-providers';
import { NONCE_HEADER } from '~/lib/csp-nonce';

export const metadata: Metadata = {
  title: { default: 'OTP Access', template: '%s · OTP Access' },
  description: 'One-time-password access to private app stores',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * Reads the request's CSP nonce (set by our server), which also makes every page render per
 * request: a prerendered page would carry a stale nonce, or none.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <ColorSchemeScript defaultColorScheme="light" nonce={nonce} />
      </head>
      <body>
        <UiProviders>{children}</UiProviders>
      </body>
    </html>
  );
}
