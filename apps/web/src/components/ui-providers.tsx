'use client';

import { Badge, createTheme, MantineProvider, Table } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { z } from 'zod';

// zod probes for eval support (`Function("")`) the first time it parses an object, to compile
// faster parsers. The pages' Content-Security-Policy forbids eval, so that probe only fails and
// reports a CSP violation; tell zod up front to use its plain parsers.
z.config({ jitless: true });

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  // System fonts only: nothing is fetched from the internet.
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  components: {
    Badge: Badge.extend({ styles: { root: { textTransform: 'none' } } }),
    Table: Table.extend({ defaultProps: { fz: 'sm' } }),
  },
});

export function UiProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" limit={4} />
      <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>{children}</ModalsProvider>
    </MantineProvider>
  );
}
