import type { Metadata } from 'next';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'Set up OTP Access' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** First run: the first organization and its owner, with the token from the server log. */
export default async function SetupPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return <SetupForm token={typeof params.token === 'string' ? params.token : ''} />;
}
