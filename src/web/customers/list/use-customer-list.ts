import { keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect } from 'react';
import { CUSTOMER_QUERY_KEYS, customersApi, type CustomerPage, type ListRequest } from '../customers-api.js';

/**
 * The list's pages, loaded one after another with the keyset cursor as the user scrolls. A new
 * search or filter keeps the rows shown until its first page arrives. Every page is an audited
 * read, so the list is not refetched on window focus.
 */
export function useCustomerList(request: ListRequest) {
  const queryClient = useQueryClient();

  // Leaving the list keeps only the first page of each: coming back starts at the top and
  // refreshes one page, not every page scrolled through before.
  useEffect(
    () => () => {
      queryClient.setQueriesData<InfiniteData<CustomerPage, string | null>>({ queryKey: [...CUSTOMER_QUERY_KEYS.lists, 'list'] }, (data) =>
        data && data.pages.length > 1 ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
      );
    },
    [queryClient],
  );

  return useInfiniteQuery({
    queryKey: CUSTOMER_QUERY_KEYS.list(request),
    queryFn: ({ pageParam }) => customersApi.list(request, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}
