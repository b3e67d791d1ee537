"""Pages of the reporting capability: notifications. Each views module lists its own urlpatterns;
reporting/urls.py joins them."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
