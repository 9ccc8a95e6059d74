import type { Metadata } from 'next';
import { ApiReference } from './api-reference';

export const metadata: Metadata = { title: 'API reference · OTP Access' };

/** The interactive reference of the REST surfaces, rendered from /api/openapi.json. */
export default function ApiReferencePage() {
  return <ApiReference />;
}
