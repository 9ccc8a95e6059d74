'use client';

import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { cssVariablesResolver, theme } from './theme';

// zod probes for eval support (`Function("")`) the first time it parses an object, to compile
// faster parsers. The pages' Content-Security-Policy forbids eval, so that probe only fails and
// reports a CSP violation; tell zod up front to use its plain parsers.
z.config({ jitless: true });

export function UiProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {/* Bottom left: the primary buttons sit top right (page headers) and bottom right (forms, dialogs). */}
      <Notifications position="bottom-left" limit={4} />
      <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>{children}</ModalsProvider>
    </MantineProvider>
  );
}
