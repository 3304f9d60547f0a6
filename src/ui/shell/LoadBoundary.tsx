// Around a part of the page whose code is a chunk loaded on demand (the side columns, the embed's
// Explanation): if that download fails — the network dropped, or the site was updated and the old
// chunk is gone — only that part shows what happened and how to get it back. Without it, the failed
// import would take the whole page down with it, graph and step controls included. The scenario is
// kept: the address holds it, and the browser's storage the last one opened.
import { Component, type ReactNode } from 'react';

export class LoadBoundary extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="m-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <p>
          <strong className="font-semibold">{this.props.what} could not be loaded.</strong> Your scenario is kept: reload the page to try
          again.
        </p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-2 rounded-md border border-amber-400 bg-white px-2.5 py-1 font-medium hover:bg-amber-100 dark:border-amber-700 dark:bg-amber-900 dark:hover:bg-amber-800"
        >
          Reload the page
        </button>
      </div>
    );
  }
}
