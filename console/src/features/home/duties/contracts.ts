/** Milestones of active contracts: delivered ones wait for the purchaser, due ones for the provider. */
import { nodes, type Duty } from '../board';

interface ContractLike {
  id: string;
  title: string;
  milestones: { id: string; title: string; dueOn: string; status: string }[];
}

/** How far ahead a milestone counts as due. */
export const MILESTONE_HORIZON_DAYS = 30;

export function contractDuties(
  connection: { edges: ({ node?: ContractLike | null } | null)[] } | null | undefined,
  now: Date,
  path: (contractId: string) => string,
): { delivered: Duty[]; due: Duty[] } {
  const horizon = now.getTime() + MILESTONE_HORIZON_DAYS * 24 * 60 * 60 * 1000;
  const delivered: Duty[] = [];
  const due: Duty[] = [];
  for (const contract of nodes(connection)) {
    for (const milestone of contract.milestones) {
      const duty = { key: milestone.id, title: milestone.title, detail: contract.title, href: path(contract.id) };
      if (milestone.status === 'delivered') delivered.push(duty);
      else if (milestone.status === 'pending' && Date.parse(milestone.dueOn) <= horizon) due.push({ ...duty, due: milestone.dueOn });
    }
  }
  return { delivered, due };
}
