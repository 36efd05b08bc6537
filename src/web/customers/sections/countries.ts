import { ISO_3166_ALPHA2 } from '../../../shared/countries.js';
import { useCodeOptions, useDisplayName } from './display-names.js';

/** Where most of a Chinese CRM's addresses are: preselected and offered first. */
export const DEFAULT_COUNTRY = 'CN';
const USUAL_COUNTRIES = [DEFAULT_COUNTRY];

export const useCountryName = () => useDisplayName('region');
export const useCountryOptions = () => useCodeOptions('region', ISO_3166_ALPHA2, USUAL_COUNTRIES);
