import type { Metadata } from 'next';
import { InvitationForm } from './invitation-form';

export const metadata: Metadata = { title: 'Invitation' };

/** Opened from an invitation mail; the token is in the URL's fragment, which never reaches a server log. */
export default function InvitationPage() {
  return <InvitationForm />;
}
