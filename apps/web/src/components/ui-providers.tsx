'use client';

import { MantineProvider } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
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
  const phone = useMediaQuery('(max-width: 600px)');
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {/*
        Away from the primary buttons: wide, they sit top right (page headers) and in the drawers
        on the right, so toasts go bottom left; on a phone a drawer fills the screen with its Save
        button at the bottom and page actions sit under the title, so toasts go on the top bar.
      */}
      <Notifications position={phone ? 'top-center' : 'bottom-left'} limit={4} />
      <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>{children}</ModalsProvider>
    </MantineProvider>
  );
}
