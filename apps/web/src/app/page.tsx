import { redirect } from 'next/navigation';

/** The console is the app: `/console` signs in or picks the space. */
export default function HomePage() {
  redirect('/console');
}
