import { useEffect, useState } from 'react';

// A router for a handful of pages: the path under /dashboard/, pushState on navigation.
export function usePath(): string {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    addEventListener('popstate', update);
    addEventListener('vigil:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('vigil:navigate', update);
    };
  }, []);
  return path;
}

export function navigate(to: string): void {
  history.pushState(null, '', to);
  dispatchEvent(new Event('vigil:navigate'));
  scrollTo(0, 0);
}
