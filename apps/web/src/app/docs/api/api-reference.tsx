'use client';

import { ApiReferenceReact } from '@scalar/api-reference-react';
import '@scalar/api-reference-react/style.css';

export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: '/api/openapi.json',
        // Everything is served by this app: no fonts, telemetry or request proxy from elsewhere.
        withDefaultFonts: false,
        telemetry: false,
        showDeveloperTools: 'never',
        hideClientButton: true,
        // Hosted AI features would send the document elsewhere.
        agent: { disabled: true },
        mcp: { disabled: true },
      }}
    />
  );
}
