import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/**
 * ARIA tabs (WAI-ARIA Authoring Practices): one tab stop for the list, arrow keys, Home and End move
 * between the tabs and select them; the panel of each tab stays mounted (hidden) so nothing typed is lost.
 */
export function LanguageTabs<K extends string>(props: {
  label: string;
  idPrefix: string;
  tabs: Array<{ key: K; label: ReactNode }>;
  active: K;
  onSelect(key: K): void;
  panel(key: K): ReactNode;
}) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const keys = props.tabs.map((tab) => tab.key);

  function keyDown(event: KeyboardEvent<HTMLButtonElement>) {
    const index = keys.indexOf(props.active);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const key = keys[(next + keys.length) % keys.length];
    props.onSelect(key);
    refs.current[key]?.focus();
  }

  return (
    <div className="language-tabs">
      <div role="tablist" aria-label={props.label}>
        {props.tabs.map((tab) => (
          <button
            key={tab.key}
            ref={(element) => {
              refs.current[tab.key] = element;
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${tab.key}`}
            aria-selected={tab.key === props.active}
            aria-controls={`${props.idPrefix}-panel-${tab.key}`}
            tabIndex={tab.key === props.active ? 0 : -1}
            onClick={() => props.onSelect(tab.key)}
            onKeyDown={keyDown}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {props.tabs.map((tab) => (
        <div
          key={tab.key}
          role="tabpanel"
          id={`${props.idPrefix}-panel-${tab.key}`}
          aria-labelledby={`${props.idPrefix}-tab-${tab.key}`}
          hidden={tab.key !== props.active}
          tabIndex={0}
        >
          {props.panel(tab.key)}
        </div>
      ))}
    </div>
  );
}
