import type { Metadata } from 'next';
import { StoreAccess } from './store-access';

export const metadata: Metadata = {
  title: 'Sign in to the store',
  description: 'Download the apps you were given, with a one-time code sent to your email address.',
};

export default async function StorePage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  return <StoreAccess storeId={storeId} />;
}
