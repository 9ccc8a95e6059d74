import type { Metadata } from 'next';
import { safeNextPath } from '~/lib/safe-next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = typeof params.next === 'string' ? params.next : null;
  return <SignInForm next={safeNextPath(next)} expired={params.expired === '1'} />;
}
