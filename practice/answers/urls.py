from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("prompts/<slug:slug>/", views.write, name="write"),
    path("prompts/<slug:slug>/draft", views.save_draft, name="save_draft"),
    path("prompts/<slug:slug>/submit", views.submit, name="submit"),
    path("answers/<int:pk>/", views.feedback, name="feedback"),
]
