/** Who is signed in: the viewer query's answer, for the menu, the header and the pages. */
import { createContext, useContext } from 'react';
import type { ViewerQuery } from '../gql/graphql';
import type { PartyType } from './parties';

export type Viewer = ViewerQuery['viewer'] & { partyType: PartyType };

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer; only inside the signed-in layout. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside the signed-in layout');
  return viewer;
}
