import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { LANGUAGES, toLanguage } from './languages.js';
import { zhCN } from './zh-CN.js';

const LANGUAGE_STORAGE_KEY = 'custos.language';

function reflectOnDocument(language: string): void {
  document.documentElement.lang = language;
}

i18n.on('languageChanged', reflectOnDocument);

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // React escapes
    showSupportNotice: false,
    // Resources are bundled: initialise synchronously so the first render already has them.
    initAsync: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: toLanguage,
    },
  });

export { i18n };
