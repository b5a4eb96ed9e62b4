import { Packr } from 'msgpackr';

/**
 * The one msgpackr instance of the protocol. `moreTypes` packs typed arrays as typed arrays (a
 * Float64Array arrives as a Float64Array holding the same bits, -0 and NaN included); records are
 * off so every message is plain MessagePack maps that any decoder can read, self-contained with no
 * shared structures. Plain numbers go as MessagePack ints or float64: -0 outside a typed array
 * arrives as 0.
 */
export const packr = new Packr({ moreTypes: true, useRecords: false, mapsAsObjects: true });
