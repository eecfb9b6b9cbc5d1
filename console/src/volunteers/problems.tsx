import type { ApiProblem } from '../ui/forms';

/**
 * The refusal's messages that belong to no field, announced once. The alert wraps the list (a list
 * that is itself the alert loses its list semantics, which axe reports).
 */
export function Problems({ problem }: { problem: ApiProblem | null }) {
  if (!problem || problem.general.length === 0) return null;
  return (
    <div role="alert" className="error">
      <ul>
        {problem.general.map((text, index) => (
          <li key={`${index}-${text}`}>{text}</li>
        ))}
      </ul>
    </div>
  );
}
