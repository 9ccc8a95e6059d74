import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './globals.css';
import { ColorSchemeScript, mantineHtmlProps } from '@mantine/core';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { UiProviders } from '~/components/ui-providers';

export const metadata: Metadata = {
  title: { default: 'OTP Access', template: '%s · OTP Access' },
  description: 'One-time-password access to private app stores',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <ColorSchemeScript defaultColorScheme="light" />
      </head>
      <body>
        <UiProviders>{children}</UiProviders>
      </body>
    </html>
  );
}
